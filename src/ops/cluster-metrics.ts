/**
 * /metrics under WEB_CONCURRENCY > 1. Requests reach whichever worker the kernel hands the connection
 * to, but a scrape must describe the whole instance: a worker asks its primary over the cluster IPC
 * channel, and the primary answers with every worker's request metrics summed (prom-client's
 * AggregatorRegistry asks each worker for its registry) followed by its own (jobs, store gauges).
 */
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry } from 'prom-client';
import { backgroundRegistry, metricsText } from './metrics.ts';

const ASK = 'paperboy:metrics?';
const ANSWER = 'paperboy:metrics';

type Answer = { type: typeof ANSWER; id: string; contentType?: string; body?: string; error?: string };

/** The primary's scrape: all workers' request metrics, summed, and its own background metrics. */
export function clusterMetricsSource(): () => Promise<{ contentType: string; body: string }> {
  const workers = new AggregatorRegistry();
  return async () => {
    const [web, own] = await Promise.all([workers.clusterMetrics(), metricsText([backgroundRegistry])]);
    return { contentType: own.contentType, body: `${web.trimEnd()}\n${own.body}` };
  };
}

/** In a worker: answers the primary's requests for this worker's registry (prom-client listens once one exists). */
export function joinClusterMetrics(): void {
  new AggregatorRegistry();
}

/** In the primary: answers the workers' requests for the cluster's metrics. */
export function answerWorkerScrapes(source: () => Promise<{ contentType: string; body: string }>): void {
  cluster.on('message', (worker, message: { type?: string; id?: string }) => {
    const id = message?.id;
    if (message?.type !== ASK || typeof id !== 'string') return;
    source().then(
      (m) => worker.send({ type: ANSWER, id, ...m } satisfies Answer),
      (err: Error) => worker.send({ type: ANSWER, id, error: err.message } satisfies Answer),
    );
  });
}

/** In a worker: the cluster's metrics, from the primary (rejects after 8 s without an answer; the primary waits 5 s for workers). */
export function metricsFromPrimary(): Promise<{ contentType: string; body: string }> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (process.off('message', onMessage), reject(new Error('metrics: the primary did not answer'))), 8000);
    const onMessage = (m: Answer) => {
      if (m?.type !== ANSWER || m.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (m.error !== undefined || m.body === undefined) reject(new Error(`metrics: ${m.error ?? 'no answer'}`));
      else resolve({ contentType: m.contentType!, body: m.body });
    };
    process.on('message', onMessage);
    process.send!({ type: ASK, id });
  });
}
