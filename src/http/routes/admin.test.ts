import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeEachDatabase } from '../../../test/databases.ts';
import { addFixturePapers, DAY2, mailTestConfig } from '../../../test/mail-fixtures.ts';
import { nginxMissing, startNginx } from '../../../test/nginx.ts';
import { cookiePair, csrfFieldIn, rawRequest } from '../../../test/raw-http.ts';
import type { Db } from '../../db/database.ts';
import { type RunningServer, startServer } from '../server.ts';

const TOKEN = 'admin-token-0123456789';
const bearer = { Authorization: `Bearer ${TOKEN}` };

describeEachDatabase('/admin over real HTTP', (open) => {
  let db: Db;
  let dir: string;
  let server: RunningServer;
  let port: string;
  const digestRuns = async () => (await db.kysely.selectFrom('digest_runs').select('day').execute()).length;

  before(async () => {
    db = await open();
    await addFixturePapers(db);
    dir = mkdtempSync(path.join(tmpdir(), 'paperboy-admin-'));
    server = await startServer({ ...mailTestConfig({ dataDir: dir }), host: '127.0.0.1', port: 0, adminToken: TOKEN }, db);
    port = new URL(server.url).port;
  });
  after(async () => {
    await server.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('coming from this machine opens nothing: loopback, and a local nginx that adds no forwarding header', { skip: nginxMissing() }, async () => {
    const direct = await rawRequest(`${server.url}/admin/outbox`);
    assert.equal(direct.status, 401);
    assert.match(String(direct.headers['www-authenticate']), /^Basic realm="Paperboy admin"/);
    assert.doesNotMatch(direct.body, /Outbox/);
    const proxy = await startNginx(server.url, { forwardedFor: false });
    try {
      assert.equal((await rawRequest(`${proxy.url}/admin/outbox`)).status, 401, 'plain proxy_pass: loopback peer, upstream Host, no forwarding header');
      const withToken = await rawRequest(`${proxy.url}/admin/outbox`, { headers: bearer });
      assert.equal(withToken.status, 200);
      assert.match(withToken.body, /Outbox/);
    } finally {
      await proxy.close();
    }
  });

  test('ADMIN_TOKEN as a Bearer token or a Basic password opens the pages; a wrong one does not', async () => {
    const basic = (pass: string) => ({ Authorization: `Basic ${Buffer.from(`admin:${pass}`).toString('base64')}` });
    assert.equal((await rawRequest(`${server.url}/admin/outbox`, { headers: bearer })).status, 200);
    assert.equal((await rawRequest(`${server.url}/admin/outbox`, { headers: basic(TOKEN) })).status, 200);
    assert.equal((await rawRequest(`${server.url}/admin/outbox`, { headers: basic('wrong') })).status, 401);
    assert.equal((await rawRequest(`${server.url}/admin/outbox`, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await rawRequest(`${server.url}/admin/outbox`, { headers: { Cookie: 'paperboy_admin=4102444800.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } })).status, 401, 'a made-up session cookie');
  });

  test('a Host that is not ours is refused before anything else, so DNS rebinding gets nowhere', async () => {
    for (const host of [`rebind.attacker.example:${port}`, 'rebind.attacker.example', `localhost.attacker.example:${port}`]) {
      const page = await rawRequest(`${server.url}/admin/outbox`, { headers: { ...bearer, Host: host } });
      assert.equal(page.status, 421, host);
      assert.doesNotMatch(page.body, /Outbox|_csrf/);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'papers.example.org', `admin.localhost:${port}`]) {
      assert.equal((await rawRequest(`${server.url}/admin/outbox`, { headers: { ...bearer, Host: host } })).status, 200, host);
    }
    // The rebinding page has read nothing, but say it had a valid form token and the admin's credentials.
    const form = await rawRequest(`${server.url}/admin/outbox`, { headers: bearer });
    const csrf = cookiePair(form.cookies, 'paperboy_csrf')!;
    const attack = await rawRequest(`${server.url}/admin/digest`, {
      method: 'POST',
      // No Origin, as an old browser would send it: the Host alone must stop it.
      headers: { ...bearer, Host: `rebind.attacker.example:${port}`, Cookie: csrf },
      form: { _csrf: csrfFieldIn(form.body)!, date: DAY2 },
    });
    assert.equal(attack.status, 421);
    assert.equal(await digestRuns(), 0, 'no digest ran');
  });

  test('the sign-in link sets an HttpOnly, SameSite=Strict cookie for /admin and drops the token from the address', async () => {
    const signIn = await rawRequest(`${server.url}/admin?token=${TOKEN}`);
    assert.equal(signIn.status, 303);
    assert.equal(signIn.headers.location, '/admin/outbox');
    const line = signIn.cookies.find((c) => c.startsWith('paperboy_admin='))!;
    assert.match(line, /; Path=\/admin(;|$)/);
    assert.match(line, /; HttpOnly(;|$)/);
    assert.match(line, /; SameSite=Strict(;|$)/);
    assert.doesNotMatch(line, new RegExp(TOKEN), 'the cookie is not the token itself');
    const session = line.split(';')[0];
    const outbox = await rawRequest(`${server.url}/admin/outbox`, { headers: { Cookie: session } });
    assert.equal(outbox.status, 200);
    assert.match(outbox.body, /Outbox/);
    assert.equal((await rawRequest(`${server.url}/admin`, { headers: { Cookie: session } })).headers.location, '/admin/outbox');
    const wrong = await rawRequest(`${server.url}/admin?token=wrong-token-0123456789`);
    assert.equal(wrong.status, 401);
    assert.equal(cookiePair(wrong.cookies, 'paperboy_admin'), undefined);
  });

  test('"Prepare and send now" takes the latest listing day, and only from our own pages', async () => {
    const session = cookiePair((await rawRequest(`${server.url}/admin?token=${TOKEN}`)).cookies, 'paperboy_admin')!;
    const form = await rawRequest(`${server.url}/admin/outbox`, { headers: { Cookie: session } });
    const cookie = `${session}; ${cookiePair(form.cookies, 'paperboy_csrf')}`;
    const send = (origin: string) =>
      rawRequest(`${server.url}/admin/digest`, { method: 'POST', headers: { Cookie: cookie, Origin: origin }, form: { _csrf: csrfFieldIn(form.body)!, date: '' } });
    assert.equal((await send('https://evil.example')).status, 403, 'a form on another site');
    assert.equal(await digestRuns(), 0);
    const done = await send(server.url);
    assert.equal(done.status, 303);
    assert.match(decodeURIComponent(String(done.headers.location)), new RegExp(`notice=${DAY2}: `), 'the latest listing day');
    assert.deepEqual(await db.kysely.selectFrom('digest_runs').select('day').execute(), [{ day: DAY2 }]);
  });
});

describe('`npm start` alone opens the outbox', () => {
  test('without ADMIN_TOKEN, serve generates one under DATA_DIR and prints a sign-in link that opens /admin/outbox', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'paperboy-serve-'));
    const env = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_CORPUS: 'off', JOBS: 'off', ADMIN_TOKEN: '', DATABASE_URL: '' };
    const child = spawn(process.execPath, ['bin/paperboy.js', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const link = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no admin link printed:\n${out}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          const m = /^Admin: (http:\/\/\S+\/admin\?token=\S+)$/m.exec(out);
          if (m) (clearTimeout(timer), resolve(m[1]));
        });
        child.stderr.on('data', (d: Buffer) => (out += d));
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
      });
      const file = path.join(dataDir, 'admin-token');
      assert.equal(new URL(link).searchParams.get('token'), readFileSync(file, 'utf8').trim());
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const signIn = await rawRequest(link);
      assert.equal(signIn.status, 303);
      const outbox = await rawRequest(new URL('/admin/outbox', link).href, { headers: { Cookie: cookiePair(signIn.cookies, 'paperboy_admin')! } });
      assert.equal(outbox.status, 200);
      assert.match(outbox.body, /Outbox/);
      assert.equal((await rawRequest(new URL('/admin/outbox', link).href)).status, 401, 'not without it');
    } finally {
      child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
