import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { l2Normalize, type Embedder } from './embedder.ts';

/** Where a local sentence-transformers ONNX model lives and how to run it. */
export interface OnnxEmbedderOptions {
  /** Hub-style name, e.g. Xenova/all-MiniLM-L6-v2: the model is read from modelDir/<model>. */
  model: string;
  modelDir: string;
  /** fp32 reads onnx/model.onnx, q8 onnx/model_quantized.onnx; by default whichever is there (fp32 first). */
  dtype?: 'fp32' | 'q8';
  /** Texts per forward pass (padded to the longest of the batch). */
  batchSize?: number;
}

/** The ONNX file transformers.js loads for a dtype. */
export function onnxFileName(dtype: 'fp32' | 'q8'): string {
  return dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx';
}

/**
 * Runs a sentence-transformers model exported to ONNX through transformers.js on the CPU, strictly
 * offline (remote models disabled): `paperboy models pull` puts the files in place first. Pooling
 * follows the model's 1_Pooling/config.json (mean unless it asks for the CLS token).
 */
export async function loadOnnxEmbedder(opts: OnnxEmbedderOptions): Promise<Embedder> {
  const dir = path.join(opts.modelDir, opts.model);
  const dtype = opts.dtype ?? (!existsSync(path.join(dir, onnxFileName('fp32'))) && existsSync(path.join(dir, onnxFileName('q8'))) ? 'q8' : 'fp32');
  const onnxFile = path.join(dir, onnxFileName(dtype));
  for (const file of [path.join(dir, 'config.json'), path.join(dir, 'tokenizer.json'), onnxFile]) {
    if (!existsSync(file)) throw new Error(`embedder: ONNX model ${opts.model} is missing ${path.relative(dir, file)} in ${dir}; run \`paperboy models pull ${opts.model}\` (EMBEDDER_MODEL_DIR=${opts.modelDir})`);
  }
  let transformers: typeof import('@huggingface/transformers');
  try {
    transformers = await import('@huggingface/transformers');
  } catch (err) {
    throw new Error(`embedder: EMBEDDER=onnx needs the optional package @huggingface/transformers (npm install): ${(err as Error).message}`);
  }
  const { env, pipeline } = transformers;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = opts.modelDir;
  const extractor = await pipeline('feature-extraction', opts.model, { dtype, device: 'cpu', local_files_only: true });
  const pooling = readPooling(dir);
  const batchSize = opts.batchSize ?? 16;
  const fingerprint = (await sha256(onnxFile)).slice(0, 12);

  async function embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      const batch = texts.slice(start, start + batchSize).map((t) => t.trim() || ' ');
      const tensor = await extractor(batch, { pooling, normalize: false });
      const [rows, dims] = tensor.dims as number[];
      const data = tensor.data as Float32Array;
      for (let r = 0; r < rows; r++) out.push(l2Normalize(Float32Array.from(data.subarray(r * dims, (r + 1) * dims))));
    }
    return out;
  }

  const dimensions = (await embed(['dimension probe']))[0].length;
  return {
    id: `onnx:${opts.model}:${dtype}:${fingerprint}`,
    dimensions,
    embed,
    close: async () => void (await extractor.dispose()),
  };
}

function readPooling(dir: string): 'mean' | 'cls' {
  const file = path.join(dir, '1_Pooling', 'config.json');
  if (!existsSync(file)) return 'mean';
  const config = JSON.parse(readFileSync(file, 'utf8')) as { pooling_mode_cls_token?: boolean; pooling_mode_mean_tokens?: boolean };
  return config.pooling_mode_cls_token && !config.pooling_mode_mean_tokens ? 'cls' : 'mean';
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (c) => hash.update(c)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}
