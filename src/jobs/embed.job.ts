/**
 * The `embed` background job of `paperboy serve`: every few minutes, embeds the papers that have no current
 * vector from the configured embedder (new imports and fetches, papers whose title or abstract changed, or
 * every paper after the embedder changed). Search keeps working meanwhile: papers without a vector are found
 * by keyword, and an edited paper by its old vector until the new one is stored. Several instances may run it
 * at once; the vector upsert is idempotent, so the worst case is duplicated work, never a wrong vector.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { runEmbeddingJob } from '../embed/embed.service.ts';
import { type Embedder, getEmbedder } from '../embed/embedder.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

const EMBED_INTERVAL_MS = 5 * 60_000;

/**
 * Starts the embedding job; the first run starts a few seconds after the server. The embedder is loaded
 * on the first run and kept (the one search uses for queries: `getEmbedder` shares it); `stop` waits for
 * a run under way, then closes it (an ONNX session), so call it at shutdown.
 */
export function startEmbeddingJob(db: Db, config: Config, log: (line: string) => void = console.log): Scheduler {
  let embedder: Embedder | undefined;
  // Stopping ends a run after its current batch (each batch is stored as it is done).
  const stopping = new AbortController();
  const scheduler = startScheduler(
    [
      {
        name: 'embed',
        intervalMs: EMBED_INTERVAL_MS,
        async run() {
          embedder = await getEmbedder(config);
          const { id } = embedder;
          let lastLogged = 0;
          const report = await runEmbeddingJob(db, embedder, {
            // The static embedder computes on this thread: 64 abstracts hold requests ~10 ms, 256 would ~40 ms.
            batchSize: 64,
            signal: stopping.signal,
            onProgress: ({ done, total }) => {
              // One line per ~10% on large runs; nothing when there is nothing to do.
              if (total > 0 && done - lastLogged >= Math.max(1000, total / 10)) {
                lastLogged = done;
                log(`embed: ${done}/${total} papers (${id})`);
              }
            },
          });
          if (report.embedded > 0) log(`embed: ${report.embedded} papers embedded with ${id} in ${report.seconds.toFixed(1)} s`);
        },
      },
    ],
    { log: (line) => console.error(line), initialDelayMs: 3000 },
  );
  return {
    wake: scheduler.wake,
    async stop() {
      stopping.abort();
      await scheduler.stop();
      await embedder?.close?.();
    },
  };
}
