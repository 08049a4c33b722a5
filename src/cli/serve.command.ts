/** `paperboy serve`: the web interface, the JSON API and the background jobs, stopped cleanly on SIGTERM or SIGINT. */
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { openConfiguredDb } from '../db/open.ts';
import { announcePresence } from '../db/presence.ts';
import { loadDemoIfEmpty } from '../demo/load-demo.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import { configuredEmbedder, prepareSearch } from '../search/search.service.ts';
import { withAdminToken, withSecretKey } from '../secret-key.ts';
import { isClusterWorker, superviseWorkers } from './serve-cluster.ts';

/** Registers `paperboy serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the web interface and JSON API (loads the demo corpus into an empty store)')
    .action(async () => {
      const config = withAdminToken(withSecretKey(loadConfig()));
      // With WEB_CONCURRENCY > 1 this is the primary (store, jobs, workers) or one of its workers (requests).
      const role = config.webConcurrency === 1 ? 'single' : isClusterWorker() ? 'worker' : 'primary';
      // The demo load runs under the start-up lock with the migrations: two instances starting at once load it once.
      const loadDemo = async (store: Db) => {
        const report = await loadDemoIfEmpty(store);
        if (report) console.log(`Loaded the demo corpus: ${report.added} papers.`);
      };
      const db = await openConfiguredDb(config, { prepare: config.demoCorpus && role !== 'worker' ? loadDemo : undefined });
      // Tells a `paperboy import` on the same SQLite file to write in short transactions while this server runs.
      if (db.dialect === 'sqlite') announcePresence(db.location);
      const stops: (() => Promise<void>)[] = [];
      let url: string;
      if (role === 'primary') {
        const workers = await superviseWorkers(config);
        stops.push(workers.stop);
        url = workers.url;
        if (config.logLevel !== 'silent') console.log(`Paperboy is serving ${db.location} at ${url} (${config.webConcurrency} processes)`);
      } else {
        const { startServer } = await import('../http/server.ts');
        const searchDeps = { embedder: configuredEmbedder(config) };
        const server = await startServer(config, db, searchDeps, { quiet: role === 'worker' });
        stops.push(server.close);
        url = server.url;
        void prepareSearch(db, searchDeps); // vector and term indexes in the background, so the first searches are fast
      }
      const admin = (await import('../http/admin-auth.ts')).adminSignInMessage(config, url);
      if (admin && config.logLevel !== 'silent' && role !== 'worker') console.log(admin);
      const jobs: Scheduler[] = [];
      if (config.jobs && role !== 'worker') {
        jobs.push((await import('../jobs/digest.job.ts')).startBackgroundJobs(db, config));
        jobs.push((await import('../jobs/embed.job.ts')).startEmbeddingJob(db, config));
        jobs.push((await import('../jobs/sources.job.ts')).startSourcesJob(db, config));
      }
      // Stop taking requests, let running jobs finish their step (the embedder is released), then close the store.
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        if (config.logLevel !== 'silent' && role !== 'worker') console.log(`${signal}: stopping`);
        await Promise.all([...stops.map((s) => s()), ...jobs.map((j) => j.stop())]);
        await db.close();
        process.exit(0);
      };
      // A worker stops when its primary says so (SIGTERM); Ctrl-C reaches the primary, which stops them all.
      if (role === 'worker') process.on('SIGINT', () => {});
      for (const signal of role === 'worker' ? (['SIGTERM'] as const) : (['SIGTERM', 'SIGINT'] as const)) process.once(signal, () => void stop(signal));
    });
}
