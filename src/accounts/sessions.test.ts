import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { setRole, setStatus } from './accounts.service.ts';
import { SESSION_CACHE_MS } from './session-cache.ts';
import { endSession, openSession, revokeOtherSessions, revokeSession, sessionFor } from './sessions.ts';
import { ownedBy } from './user.ts';

/** Counts the statements run through a Kysely instance (`db.withPlugin(counter)`). */
function queryCounter(): KyselyPlugin & { count: number } {
  return {
    count: 0,
    transformQuery(args: PluginTransformQueryArgs) {
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs) {
      // Counted here: a statement run as written (plain-sql.ts) skips transformQuery.
      this.count++;
      return args.result;
    },
  };
}

describeEachDatabase('sessions: the lookup of every request, remembered briefly and forgotten on every change', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
  });
  after(() => db.close());

  test('a session resolved once is answered from memory for SESSION_CACHE_MS, then read again', async () => {
    const ada = await addTestUser(db, 'ada@example.org');
    const { token } = await openSession(db.kysely, ada.id, { method: 'password' });
    const counter = queryCounter();
    const reads = db.kysely.withPlugin(counter);
    const t0 = new Date();
    assert.equal((await sessionFor(db.kysely, token, t0, reads))?.user.email, 'ada@example.org');
    assert.equal(counter.count, 1);
    const again = await sessionFor(db.kysely, token, new Date(t0.getTime() + SESSION_CACHE_MS - 1), reads);
    assert.equal(again?.user.id, ada.id);
    assert.equal(counter.count, 1, 'the second lookup within the TTL reads nothing');
    await sessionFor(db.kysely, token, new Date(t0.getTime() + SESSION_CACHE_MS + 1), reads);
    assert.equal(counter.count, 2, 'after the TTL the store is read again');
    assert.ok(SESSION_CACHE_MS <= 2000, 'another process may serve a revoked session for this long: keep it short');
  });

  test('signing out, revoking one or the other sessions, a role change and suspension are seen by the very next lookup', async () => {
    const bob = await addTestUser(db, 'bob@example.org', 'admin');
    const ctx = { db: db.kysely, accounts: { registration: 'open' as const, allowedEmailDomains: [] } };
    const lookup = async (token: string) => sessionFor(db.kysely, token, new Date(), db.quick ?? db.kysely);
    const warm = async (token: string) => assert.ok(await lookup(token), 'the session works before the change');

    const a = await openSession(db.kysely, bob.id, { method: 'password' });
    await warm(a.token);
    await endSession(db.kysely, a.token);
    assert.equal(await lookup(a.token), undefined, 'signed out');

    const b = await openSession(db.kysely, bob.id, { method: 'password' });
    await warm(b.token);
    await revokeSession(db.kysely, ownedBy(bob, b.session)!);
    assert.equal(await lookup(b.token), undefined, 'revoked from the session list');

    const keep = await openSession(db.kysely, bob.id, { method: 'password' });
    const other = await openSession(db.kysely, bob.id, { method: 'password' });
    await warm(keep.token);
    await warm(other.token);
    await revokeOtherSessions(db.kysely, bob, keep.session);
    assert.equal(await lookup(other.token), undefined, 'signed out everywhere else');
    assert.ok(await lookup(keep.token), 'the one asking stays');

    await addTestUser(db, 'carol@example.org', 'admin'); // bob is not the last admin
    assert.equal((await lookup(keep.token))?.user.role, 'admin');
    await setRole(ctx, null, bob, 'member');
    assert.equal((await lookup(keep.token))?.user.role, 'member', 'a role change shows at once');

    await setStatus(ctx, null, { ...bob, role: 'member' }, 'suspended');
    assert.equal(await lookup(keep.token), undefined, 'a suspended account is nobody at once');
  });

  test('a lookup that read the row before a revocation does not put it back in memory', async () => {
    const dan = await addTestUser(db, 'dan@example.org');
    const { token, session } = await openSession(db.kysely, dan.id, { method: 'password' });
    const reads = db.quick ?? db.kysely;
    // Revoke while the lookup's read is in flight: its answer (read before the delete) may serve this one
    // request, never the next.
    const racing = sessionFor(db.kysely, token, new Date(), reads);
    await revokeSession(db.kysely, ownedBy(dan, session)!);
    await racing;
    assert.equal(await sessionFor(db.kysely, token, new Date(), reads), undefined);
  });
});
