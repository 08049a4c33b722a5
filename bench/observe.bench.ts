/**
 * `npm run bench:observe`: what observability costs on the hot path. The home page (the cached newest
 * day, the cheapest and most frequent page) through autocannon, 50 connections, 8 s per round, against
 * three servers in their own processes on the same store: without the observing middleware (no request
 * id, no histogram, no access line), with it and text logs (the default), and with it and JSON logs
 * (one pino line per request, written to /dev/null here). Rounds alternate so that a change in the
 * machine's load hits all three; the figures are requests per second as ratios to the first, with the
 * load average. Uses a temporary store with the demo corpus.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { openConfiguredDb } from '../src/db/open.ts';
import { loadDemoIfEmpty } from '../src/demo/load-demo.ts';
import { createApp } from '../src/http/app.ts';
import { useJsonLogs } from '../src/ops/logger.ts';

const mode = process.argv[process.argv.indexOf('--serve') + 1];
if (process.argv.includes('--serve')) {
  const config = { ...loadConfig({ ...process.env, JOBS: 'off' }), logLevel: 'info' as const };
  if (mode === 'json') useJsonLogs('info', fs.createWriteStream('/dev/null'));
  const db = await openConfiguredDb(config);
  const app = createApp({ db, config, observe: mode !== 'off' });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => process.send!(`http://127.0.0.1:${info.port}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  const dataDir = fs.mkdtempSync(path.join(tmpdir(), 'paperboy-bench-observe-'));
  const setup = await openConfiguredDb({ ...loadConfig({ DATA_DIR: dataDir }), logLevel: 'silent' });
  await loadDemoIfEmpty(setup);
  await setup.close();
  const start = (m: string) =>
    new Promise<{ url: string; stop: () => void }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', m], { env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      child.once('message', (url) => resolve({ url: String(url), stop: () => child.kill('SIGTERM') }));
    });
  const modes = ['off', 'text', 'json'] as const;
  const servers = Object.fromEntries(await Promise.all(modes.map(async (m) => [m, await start(m)] as const)));
  const results: Record<string, number[]> = { off: [], text: [], json: [] };
  const loads: number[] = [];
  for (const m of modes) await autocannon({ url: `${servers[m].url}/`, connections: 10, duration: 2 }); // warm the caches
  for (let round = 0; round < 2; round++) {
    for (const m of round % 2 ? [...modes].reverse() : modes) {
      const r = await autocannon({ url: `${servers[m].url}/`, connections: 50, duration: 8 });
      if (r.errors || r.non2xx) throw new Error(`${m}: ${r.errors} errors, ${r.non2xx} non-2xx`);
      results[m].push(r.requests.average);
      loads.push(loadavg()[0]);
    }
  }
  for (const s of Object.values(servers)) s.stop();
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const base = mean(results.off);
  console.log(`home page, 50 connections, 2 × 8 s per server; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (2 cores)`);
  for (const m of modes) console.log(`${m.padEnd(5)} ${mean(results[m]).toFixed(0).padStart(6)} req/s  ${(mean(results[m]) / base).toFixed(3)} × without   rounds: ${results[m].map((x) => x.toFixed(0)).join(', ')}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
