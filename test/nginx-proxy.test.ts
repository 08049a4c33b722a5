/**
 * The nginx configuration of docs/nginx.conf, run for real: nginx from apt started on free ports under a
 * temp prefix, with that file included (only its ports, certificate paths and upstream replaced), in front
 * of a Paperboy server with TRUST_PROXY=1. Visitors connect from different loopback addresses (127.0.0.2,
 * 127.0.0.3, … are other machines as far as nginx is concerned) over https with a certificate the test
 * makes. It checks the http → https redirect, X-Forwarded-Proto (Secure cookies only over https), the
 * request id nginx assigns (returned by Paperboy and in nginx's log), the admin lock and /metrics through
 * the proxy, Paperboy's per-visitor subscribe limit, and nginx's own limit on search.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../src/db/database.ts';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { LIMITS } from '../src/subscriptions/subscriptions.service.ts';
import { freshSqlite } from './databases.ts';
import { mailTestConfig } from './mail-fixtures.ts';
import { freePort, NGINX_PATH, nginxMissing } from './nginx.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const TOKEN = 'nginx-test-admin-token-0123456789';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request, over https (certificate not checked: the test made it) or http, from a chosen loopback address. */
function request(url: string, opts: { from?: string; method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  const headers = { ...opts.headers, ...(opts.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(opts.body)) } : {}) };
  return new Promise((resolve, reject) => {
    const req = lib.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? 'GET', headers, localAddress: opts.from ?? '127.0.0.1', agent: false, rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.once('error', reject);
    req.end(opts.body);
  });
}

/** docs/nginx.conf with this test's ports, certificate and upstream; throws if a replaced line is gone from the doc. */
function renderConfig(ports: { http: number; https: number; upstream: number }, cert: string, key: string): string {
  let conf = fs.readFileSync(path.join(ROOT, 'docs/nginx.conf'), 'utf8');
  const replace = (from: string, to: string) => {
    assert.equal(conf.split(from).length, 2, `docs/nginx.conf has exactly one "${from}"`);
    conf = conf.replace(from, to);
  };
  replace('listen 80;', `listen 127.0.0.1:${ports.http};`);
  replace('listen 443 ssl;', `listen 127.0.0.1:${ports.https} ssl;`);
  replace('server 127.0.0.1:3000;', `server 127.0.0.1:${ports.upstream};`);
  replace('/etc/letsencrypt/live/papers.example.org/fullchain.pem', cert);
  replace('/etc/letsencrypt/live/papers.example.org/privkey.pem', key);
  // The redirect keeps the test's https port (in production it is 443 and needs none).
  replace('return 301 https://$host$request_uri;', `return 301 https://$host:${ports.https}$request_uri;`);
  return conf;
}

describe('Paperboy behind nginx with docs/nginx.conf', { skip: nginxMissing() }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-nginx-doc-'));
  let db: Db;
  let server: RunningServer;
  let nginx: ChildProcess;
  let site: string;
  let plain: string;
  let direct: string;

  before(async () => {
    const ports = { http: await freePort(), https: await freePort(), upstream: await freePort() };
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    fs.writeFileSync(path.join(dir, 'paperboy.conf'), renderConfig(ports, cert, key));
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${path.join(dir, t)};`).join(' ');
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      `daemon off; master_process off; worker_processes 1; pid ${path.join(dir, 'nginx.pid')}; error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 256; }
http { ${temp}
  log_format withid '$remote_addr "$request" $status $request_id';
  access_log ${path.join(dir, 'access.log')} withid;
  include ${path.join(dir, 'paperboy.conf')};
}
`,
    );
    site = `https://127.0.0.1:${ports.https}`;
    plain = `http://127.0.0.1:${ports.http}`;
    db = await freshSqlite();
    server = await startServer({ ...mailTestConfig(), host: '127.0.0.1', port: ports.upstream, publicBaseUrl: site, trustProxyHops: 1, adminToken: TOKEN }, db);
    direct = server.url;
    nginx = spawn(NGINX_PATH, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
    for (let i = 0; ; i++) {
      if (nginx.exitCode !== null) throw new Error(`nginx exited: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
      if (await request(`${site}/healthz`).then((r) => r.status === 200, () => false)) break;
      if (i > 200) throw new Error('nginx did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
  });
  after(async () => {
    if (nginx?.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGTERM');
      await exited;
    }
    await server?.close();
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('plain http is sent to https; health checks answer on either', async () => {
    const home = await request(`${plain}/day/2026-07-02?x=1`);
    assert.equal(home.status, 301);
    assert.equal(home.headers.location, `${site}/day/2026-07-02?x=1`);
    assert.equal((await request(`${plain}/healthz`)).status, 200);
    assert.equal((await request(`${site}/readyz`)).status, 200);
  });

  test("https reaches Paperboy as https (X-Forwarded-Proto): its cookies are Secure there, and not over plain http", async () => {
    const viaProxy = await request(`${site}/admin?token=${TOKEN}`);
    assert.equal(viaProxy.status, 303);
    assert.match(String(viaProxy.headers['set-cookie']), /paperboy_admin=[^;]+;.*Secure/);
    assert.match(String(viaProxy.headers['strict-transport-security']), /max-age=31536000/);
    const plainToServer = await request(`${direct}/admin?token=${TOKEN}`);
    assert.equal(plainToServer.status, 303);
    assert.doesNotMatch(String(plainToServer.headers['set-cookie']), /Secure/, 'no https, no Secure');
  });

  test("nginx's request id is Paperboy's: returned to the visitor and in nginx's access log", async () => {
    const r = await request(`${site}/trending`);
    const id = String(r.headers['x-request-id']);
    assert.match(id, /^[0-9a-f]{32}$/, 'nginx $request_id, kept by Paperboy');
    await new Promise((res) => setTimeout(res, 50));
    assert.match(fs.readFileSync(path.join(dir, 'access.log'), 'utf8'), new RegExp(`"GET /trending HTTP/1.1" 200 ${id}`));
  });

  test('the admin lock holds through the proxy; /metrics is for the scraper address and the token', async () => {
    assert.equal((await request(`${site}/admin/outbox`, { from: '127.0.0.2' })).status, 401, 'no token, no admin pages, even though nginx connects from loopback');
    assert.equal((await request(`${site}/admin/outbox`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200);
    assert.equal((await request(`${site}/admin/outbox`, { headers: { Authorization: `Bearer ${TOKEN}`, Host: 'rebound.example' } })).status, 421, 'a foreign Host is refused');
    assert.equal((await request(`${site}/metrics`, { from: '127.0.0.2', headers: { Authorization: `Bearer ${TOKEN}` } })).status, 403, 'nginx: not the scraper');
    assert.equal((await request(`${site}/metrics`)).status, 401, 'Paperboy: no token');
    const metrics = await request(`${site}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /paperboy_http_request_duration_seconds_count\{method="GET",route="\/trending",status="200"\} \d+/);
  });

  test("Paperboy's subscribe limit counts each visitor by the address nginx saw, whatever X-Forwarded-For they write", async () => {
    const visitor = async (from: string) => {
      const page = await request(`${site}/subscribe`, { from });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
      const cookie = String(page.headers['set-cookie']).split(';')[0];
      return (i: number, forged?: string) =>
        request(`${site}/subscribe`, {
          from,
          method: 'POST',
          headers: { Cookie: cookie, Origin: site, 'Content-Type': 'application/x-www-form-urlencoded', ...(forged ? { 'X-Forwarded-For': forged } : {}) },
          body: new URLSearchParams({ _csrf: csrf, email: `nginx-${from}-${i}@example.org`, digest: 'on' }).toString(),
        });
    };
    const a = await visitor('127.0.0.2');
    for (let i = 0; i < LIMITS.subscribePerIp.max; i++) assert.equal((await a(i, `203.0.113.${i}`)).status, 200, `subscription ${i}`);
    assert.equal((await a(99, '198.51.100.7')).status, 429, 'a forged X-Forwarded-For does not reset the count');
    const b = await visitor('127.0.0.3');
    assert.equal((await b(0)).status, 200, 'another visitor is not limited');
  });

  test("nginx's own limit on search: a burst from one address is cut, another address is served", async () => {
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => request(`${site}/search?q=graph${i}`, { from: '127.0.0.4' }).then((r) => r.status)));
    assert.ok(statuses.filter((s) => s === 429).length >= 10, `a burst is cut: ${statuses.join(' ')}`);
    assert.ok(statuses.filter((s) => s === 200).length >= 10, 'the burst allowance is served');
    assert.equal((await request(`${site}/search?q=graph`, { from: '127.0.0.5' })).status, 200);
  });
});
