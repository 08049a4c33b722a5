/**
 * The `sources` background job of `paperboy serve`: at start it adds the sources the environment names
 * (FETCH_ARXIV, FETCH_HF_DAILY) and runs what is due at once — a source that never ran starts its backfill
 * without waiting for the next announcement — then looks again every minute (src/sources/schedule.ts
 * decides what is due: after each arXiv announcement, again while a day is late, on each list's interval).
 * Safe with several instances on one database: a lease per remote host lets one of them fetch.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { WorkerPageParser } from '../fetch/page-parser.ts';
import { ClientPool } from '../sources/clients.ts';
import { runDueSources, type RunReport } from '../sources/runner.ts';
import { seedSources } from '../sources/sources.service.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

const TICK_MS = 60_000;

/** One log line for a run that did something or went wrong; nothing for a quiet one. */
export function describeRun(r: RunReport): string | undefined {
  const counts = `${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged${r.skipped ? `, ${r.skipped} skipped` : ''}`;
  if (r.status === 'success' && r.added + r.updated === 0) return undefined;
  return `sources: ${r.label}: ${r.status}, ${counts}${r.message ? ` — ${r.message}` : ''}`;
}

/** Starts the sources job; `stop` ends a harvest after its current page (its progress kept) and waits for it. */
export function startSourcesJob(
  db: Db,
  config: Config,
  log: (line: string) => void = console.log,
  opts: { now?: () => Date; tickMs?: number; onPapersChanged?: () => void } = {},
): Scheduler {
  const clients = new ClientPool(config.sources);
  // Pages are parsed off the event loop: a 1,000-record OAI-PMH page takes longer than a request may wait.
  const parser = new WorkerPageParser();
  const stopping = new AbortController();
  let seeded = false;
  const scheduler = startScheduler(
    [
      {
        name: 'sources',
        intervalMs: opts.tickMs ?? TICK_MS,
        async run() {
          if (!seeded) {
            const added = await seedSources(db, config, opts.now?.());
            if (added.length) log(`sources: following ${added.join(', ')} (from the environment)`);
            seeded = true;
          }
          const reports = await runDueSources({ db, config, clients, parse: parser.parse, now: opts.now, signal: stopping.signal });
          for (const r of reports) {
            const line = describeRun(r);
            if (line) log(line);
          }
          // New papers and revised text are embedded now, not at the embedding job's next round minutes later.
          if (reports.some((r) => r.added + r.updated > 0)) opts.onPapersChanged?.();
        },
      },
    ],
    // Right after start: a source that never ran backfills at once.
    { log: (line) => console.error(line), initialDelayMs: 200 },
  );
  return {
    wake: scheduler.wake,
    async stop() {
      stopping.abort();
      await scheduler.stop();
      await parser.close();
    },
  };
}
