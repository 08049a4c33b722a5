/**
 * /metrics under WEB_CONCURRENCY=2: whichever worker answers a scrape on the main port, and the primary's
 * METRICS_PORT listener, report the whole instance — requests summed over both workers, and the primary's
 * job runs — in one valid exposition (one TYPE line per metric).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { freePort } from './nginx.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-cluster-metrics-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const TOKEN = 'cluster-metrics-token-0123456789';

test('the main port and METRICS_PORT both report the whole cluster', { timeout: 120_000 }, async () => {
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', DEMO_CORPUS: 'off', WEB_CONCURRENCY: '2', ADMIN_TOKEN: TOKEN, METRICS_PORT: String(metricsPort), LOG_LEVEL: 'info' },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c));
  child.stderr.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    let url: string | undefined;
    for (const end = Date.now() + 90_000; !url && Date.now() < end; await new Promise((r) => setTimeout(r, 100))) url = /at (http:\/\/\S+) \(2 processes\)/.exec(output)?.[1];
    assert.ok(url, output);
    await new Promise((r) => setTimeout(r, 1500)); // both workers listening, the jobs' first runs done
    // New connections each time: the kernel spreads them over both workers.
    for (let i = 0; i < 20; i++) await (await fetch(`${url}/healthz`, { headers: { Connection: 'close' } })).text();
    const count = (body: string) => Number(/^paperboy_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} (\d+)$/m.exec(body)?.[1]);
    const main = await (await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
    assert.equal(count(main), 20, 'every worker\'s requests, summed');
    assert.match(main, /^paperboy_job_runs_total\{job="mail",outcome="ok"\} \d+$/m, "the primary's jobs");
    assert.equal(main.match(/^# TYPE paperboy_http_request_duration_seconds /gm)?.length, 1);
    const side = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    assert.ok(count(side) >= 20);
    assert.match(side, /^paperboy_papers 0$/m);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
  } finally {
    child.kill('SIGKILL');
  }
});
