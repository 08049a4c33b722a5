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
import { startMetricsServer } from './metrics-server.ts';
import { answerWorkerScrapes, clusterMetricsSource, joinClusterMetrics, metricsFromPrimary } from '../ops/cluster-metrics.ts';
import { useJsonLogs } from '../ops/logger.ts';
import { collectProcessMetrics, metricsText, watchStore } from '../ops/metrics.ts';
import { newProcessState } from '../ops/readiness.ts';

/** How often a serving process checks For you's newest pool (new papers may have come from another process). */
const PREPARE_FOR_YOU_EVERY_MS = 10 * 60_000;

/** Registers `paperboy serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the web interface and JSON API (loads the demo corpus into an empty store)')
    .action(async () => {
      const config = withAdminToken(withSecretKey(loadConfig()));
      if (config.logFormat === 'json') useJsonLogs(config.logLevel);
      // With WEB_CONCURRENCY > 1 this is the primary (store, jobs, workers) or one of its workers (requests).
      const role = config.webConcurrency === 1 ? 'single' : isClusterWorker() ? 'worker' : 'primary';
      const state = newProcessState();
      // The demo load runs under the start-up lock with the migrations: two instances starting at once load it once.
      const loadDemo = async (store: Db) => {
        const report = await loadDemoIfEmpty(store);
        if (report) console.log(`Loaded the demo corpus: ${report.added} papers.`);
      };
      const db = await openConfiguredDb(config, { prepare: config.demoCorpus && role !== 'worker' ? loadDemo : undefined });
      // Tells a `paperboy import` on the same SQLite file to write in short transactions while this server runs.
      if (db.dialect === 'sqlite') announcePresence(db.location);
      const stops: ((graceMs: number) => Promise<void>)[] = [];
      let url: string;
      // Refreshes For you's pool after new papers arrive (in the process that serves pages).
      let prepareForYou = () => {};
      // The whole instance's metrics: a cluster's primary gathers its workers'; a single process has them all.
      const metrics = role === 'primary' ? clusterMetricsSource() : role === 'worker' ? metricsFromPrimary : undefined;
      if (role !== 'worker') watchStore(db);
      if (role === 'primary') answerWorkerScrapes(metrics!);
      if (role === 'worker') joinClusterMetrics();
      if (role !== 'primary') collectProcessMetrics();
      if (config.metrics.port && role !== 'worker') {
        const server = await startMetricsServer(config, metrics ?? (() => metricsText()));
        stops.push(server.close);
      }
      if (role === 'primary') {
        const workers = await superviseWorkers(config);
        stops.push(workers.stop);
        url = workers.url;
        if (config.logLevel !== 'silent') console.log(`Paperboy is serving ${db.location} at ${url} (${config.webConcurrency} processes)`);
      } else {
        const { startServer } = await import('../http/server.ts');
        const searchDeps = { embedder: configuredEmbedder(config) };
        const server = await startServer(config, db, searchDeps, { quiet: role === 'worker', processState: state, metrics });
        stops.push(server.close);
        url = server.url;
        // Vector and term indexes in the background, so the first searches are fast; /readyz waits for them.
        void prepareSearch(db, searchDeps).finally(() => (state.searchReady = true));
        // The recommendations' context (vocabulary, background papers) and the newest days' pool in worker threads, so the first For-you page finds them ready.
        if (config.recommendations) {
          prepareForYou = () => void import('../recommend/serving.ts').then((m) => m.prepareRecommendations(db)).catch((err) => console.error(`recommendations: ${String(err)}`));
          prepareForYou();
          // Also now and then: papers another process imported (a cluster's primary, another instance) start a new pool.
          const timer = setInterval(prepareForYou, PREPARE_FOR_YOU_EVERY_MS);
          timer.unref();
          stops.push(async () => clearInterval(timer));
        }
      }
      const admin = (await import('../http/admin-auth.ts')).adminSignInMessage(config, url);
      if (admin && config.logLevel !== 'silent' && role !== 'worker') console.log(admin);
      const jobs: Scheduler[] = [];
      if (config.jobs && role !== 'worker') {
        jobs.push((await import('../jobs/digest.job.ts')).startBackgroundJobs(db, config));
        const embedding = (await import('../jobs/embed.job.ts')).startEmbeddingJob(db, config);
        jobs.push(embedding);
        jobs.push((await import('../jobs/sources.job.ts')).startSourcesJob(db, config, undefined, { onPapersChanged: () => (embedding.wake('embed'), prepareForYou()) }));
      }
      // /readyz turns 503 at once; after SHUTDOWN_DELAY_SECONDS (a load balancer's time to notice) the port
      // closes, requests in flight finish, jobs end their step (mail: the sends under way; claimed messages
      // are released), then the store closes — all within SHUTDOWN_GRACE_SECONDS, or the process exits anyway.
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        state.stopping = true;
        const { delaySeconds, graceSeconds } = config.shutdown;
        if (config.logLevel !== 'silent' && role !== 'worker') console.log(`${signal}: stopping (${delaySeconds ? `answering ${delaySeconds} s more, then ` : ''}up to ${graceSeconds} s for requests and mail)`);
        setTimeout(() => {
          console.error(`${signal}: work still running after ${delaySeconds + graceSeconds} s; exiting without it (SHUTDOWN_GRACE_SECONDS)`);
          process.exit(1);
        }, (delaySeconds + graceSeconds) * 1000 + 500).unref();
        // A primary answers no requests: its workers (sent SIGTERM at once) wait out the delay themselves.
        if (delaySeconds && role !== 'primary') await new Promise((r) => setTimeout(r, delaySeconds * 1000));
        await Promise.all([...stops.map((s) => s(graceSeconds * 1000)), ...jobs.map((j) => j.stop())]);
        await db.close();
        process.exit(0);
      };
      // A worker stops when its primary says so (SIGTERM); Ctrl-C reaches the primary, which stops them all.
      if (role === 'worker') process.on('SIGINT', () => {});
      for (const signal of role === 'worker' ? (['SIGTERM'] as const) : (['SIGTERM', 'SIGINT'] as const)) process.once(signal, () => void stop(signal));
    });
}
