/**
 * `paperboy serve` with WEB_CONCURRENCY=2: a primary and two real worker processes on one port and one
 * SQLite store. Requests are answered, a worker killed with SIGKILL is replaced, and SIGTERM stops the
 * primary and every worker with exit code 0.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-cluster-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The pids of a process's children. */
const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return []; // ps exits 1 when there are none
  }
};
/** A GET on a connection of its own (a kept-alive one could be to the worker the test kills). */
const status = (url: string) =>
  new Promise<number>((resolve, reject) => {
    http.get(url, { agent: false }, (res) => (res.resume(), resolve(res.statusCode!))).once('error', reject);
  });
async function until<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
    const value = probe();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('two worker processes answer on one port; a dead worker is replaced; SIGTERM stops them all', { timeout: 90_000 }, async () => {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', DEMO_CORPUS: 'off', JOBS: 'off', LOG_LEVEL: 'info', WEB_CONCURRENCY: '2' },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c));
  child.stderr.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await until('the serving line', () => /at (http:\/\/\S+) \(2 processes\)/.exec(output)?.[1], 60_000);
    assert.equal(output.match(/Paperboy is serving/g)?.length, 1, 'the primary says it once, for both workers');
    const workers = await until('two workers', () => (childrenOf(child.pid!).length === 2 ? childrenOf(child.pid!) : undefined), 60_000);
    for (let i = 0; i < 10; i++) assert.equal(await status(`${url}/api/day`), 404, 'an empty store has no newest day, and says so');
    assert.equal(await status(`${url}/search?q=anything`), 200);

    process.kill(workers[0], 'SIGKILL');
    const replaced = await until('a replacement worker', () => {
      const now = childrenOf(child.pid!);
      return now.length === 2 && !now.includes(workers[0]) ? now : undefined;
    });
    assert.ok(replaced.includes(workers[1]), 'the other worker kept running');
    await until('the new worker to listen', () => (/exited \(SIGKILL\)/.test(output) ? true : undefined));
    for (let i = 0; i < 10; i++) assert.equal(await status(`${url}/search?q=anything`), 200);

    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    for (const pid of replaced) assert.throws(() => process.kill(pid, 0), 'no worker outlives the primary');
  } finally {
    child.kill('SIGKILL');
  }
});
