import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.ts';
import { countVectorsByEmbedder } from '../embed/embed.repo.ts';
import { runEmbeddingJob } from '../embed/embed.service.ts';
import { getEmbedder } from '../embed/embedder.ts';
import { pullModel } from '../embed/model-pull.ts';
import { progressBar } from './output.ts';
import { withDb } from './with-db.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more');
  return n;
}

/** Adds `paperboy embed` (vectors for semantic search) and `paperboy models pull` (ONNX models from a hub). */
export function registerEmbedCommands(program: Command): void {
  program
    .command('embed')
    .description('embed papers that have no current vector from the configured embedder (EMBEDDER, EMBEDDER_MODEL): none yet, or one made before their title or abstract changed; Ctrl-C stops after the current batch, and the next run resumes')
    .option('--reembed', 'embed every paper again, even those with a current vector')
    .option('--batch-size <n>', 'papers per batch', positiveInt, 256)
    .option('--status', 'only show how many vectors each embedder has stored')
    .action(async (opts: { reembed?: boolean; batchSize: number; status?: boolean }) => {
      await withDb(async (db, config) => {
        if (opts.status) {
          const rows = await countVectorsByEmbedder(db.kysely);
          if (rows.length === 0) return console.log('No vectors stored yet.');
          for (const r of rows) console.log(`${String(r.vectors).padStart(8)}  ${r.embedder}`);
          return;
        }
        const embedder = await getEmbedder(config);
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        const bar = progressBar(`embed ${embedder.id}`);
        try {
          const r = await runEmbeddingJob(db, embedder, {
            reembed: opts.reembed,
            batchSize: opts.batchSize,
            signal: controller.signal,
            onProgress: (p) => bar.update(p.total ? p.done / p.total : 1, p.done),
          });
          bar.stop();
          const rate = Math.round(r.embedded / Math.max(r.seconds, 0.001));
          console.log(`${r.embedder} (${embedder.dimensions} dimensions): ${r.embedded} papers embedded in ${r.seconds.toFixed(1)} s (${rate}/s)`);
          if (r.aborted) console.log(`Stopped: ${r.remaining} papers still have no current vector; run \`paperboy embed\` again to continue.`);
        } finally {
          bar.stop();
          process.off('SIGINT', stop);
          await embedder.close?.();
        }
      });
    });

  const models = program.command('models').description('manage local ONNX embedding models (EMBEDDER=onnx)');
  models
    .command('pull')
    .description('download a sentence-transformers ONNX model (e.g. Xenova/all-MiniLM-L6-v2) from the Hugging Face hub (HF_ENDPOINT) into EMBEDDER_MODEL_DIR')
    .argument('<name>', 'model repository, org/name')
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option('--quantized', 'fetch the int8 model (onnx/model_quantized.onnx) instead of the float32 one')
    .action(async (name: string, opts: { revision: string; quantized?: boolean }) => {
      const config = loadConfig();
      const { modelDir, hfEndpoint } = config.embedder;
      let current = '';
      let bar = progressBar('');
      const report = await pullModel({
        model: name,
        modelDir,
        endpoint: hfEndpoint,
        revision: opts.revision,
        dtype: opts.quantized ? 'q8' : 'fp32',
        token: process.env.HF_TOKEN,
        onFile: (file, received, total) => {
          if (file !== current) {
            bar.stop();
            bar = progressBar(file);
            current = file;
          }
          bar.update(total ? received / total : 0, received);
        },
      });
      bar.stop();
      for (const f of report.files) console.log(`${String(f.bytes).padStart(12)}  ${f.name}`);
      console.log(`${report.model} is in ${report.dir}. Use it with EMBEDDER=onnx EMBEDDER_MODEL=${report.model}, then \`paperboy embed\`.`);
    });
}
