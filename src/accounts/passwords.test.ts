import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from './passwords.ts';

test('length is the rule: 12 to 256 characters of anything, no composition rules', () => {
  assert.match(passwordProblem('short pass')!, /at least 12/);
  assert.equal(passwordProblem('correct horse battery'), undefined, 'words with spaces, no digit or symbol');
  assert.equal(passwordProblem('ünïcödé wörds ok'), undefined);
  assert.equal(passwordProblem('🐈🐕🐇🐈🐕🐇🐈🐕🐇🐈🐕🐇'), undefined, 'emoji count as characters, not UTF-16 units');
  assert.match(passwordProblem('🐈🐈🐈🐈🐈🐕')!, /at least 12/);
  assert.match(passwordProblem('x'.repeat(257))!, /at most 256/);
});

test('the passwords attackers try first, runs, repeats and the own address are refused', () => {
  for (const p of ['password1234', 'Password1234', 'qwertyuiop123', '123456789012', 'aaaaaaaaaaaa', 'abababababab', 'abcdefghijklmn', 'passwordpassword!']) {
    assert.ok(passwordProblem(p), `${p} should be refused`);
  }
  assert.match(passwordProblem('ada.lovelace-secret', 'ada.lovelace@example.org')!, /email address/);
  assert.equal(passwordProblem('analytical engines', 'ada@example.org'), undefined, 'a short local part is not looked for');
});

test('scrypt hashes verify the same password (NFKC-normalised) and nothing else; parameters are stored', async () => {
  const stored = await hashPassword('correct horse battery');
  assert.match(stored, /^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.notEqual(await hashPassword('correct horse battery'), stored, 'salted');
  assert.equal(await verifyPassword('correct horse battery', stored), true);
  assert.equal(await verifyPassword('correct horse batterz', stored), false);
  assert.equal(await verifyPassword('ﬁne ligature pass', await hashPassword('fine ligature pass')), true, 'NFKC: ﬁ is fi');
  assert.equal(await verifyPassword('anything', 'plain-text-password'), false);
  assert.equal(needsRehash(stored), false);
  assert.equal(needsRehash('scrypt$16384$8$1$AAAA$BBBB'), true);
});
