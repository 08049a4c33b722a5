/**
 * The `embed` background job of `paperboy serve`: every few minutes, embeds the papers that have no vector
 * from the configured embedder (new imports, fetches, or every paper after the embedder changed). Search
 * keeps working meanwhile: papers without a vector are found by keyword. Several instances may run it at
 * once; the vector upsert is idempotent, so the worst case is duplicated work, never a wrong vector.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { runEmbeddingJob } from '../embed/embed.service.ts';
import { getEmbedder } from '../embed/embedder.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

const EMBED_INTERVAL_MS = 5 * 60_000;

/** Starts the embedding job; the first run starts a few seconds after the server. */
export function startEmbeddingJob(db: Db, config: Config, log: (line: string) => void = console.log): Scheduler {
  return startScheduler(
    [
      {
        name: 'embed',
        intervalMs: EMBED_INTERVAL_MS,
        async run() {
          const embedder = await getEmbedder(config);
          let lastLogged = 0;
          const report = await runEmbeddingJob(db, embedder, {
            onProgress: ({ done, total }) => {
              // One line per ~10% on large runs; nothing when there is nothing to do.
              if (total > 0 && done - lastLogged >= Math.max(1000, total / 10)) {
                lastLogged = done;
                log(`embed: ${done}/${total} papers (${embedder.id})`);
              }
            },
          });
          if (report.embedded > 0) log(`embed: ${report.embedded} papers embedded with ${embedder.id} in ${report.seconds.toFixed(1)} s`);
        },
      },
    ],
    { log: (line) => console.error(line), initialDelayMs: 3000 },
  );
}
