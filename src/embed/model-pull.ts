import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { onnxFileName } from './onnx-embedder.ts';

/** What `paperboy models pull` fetched. */
export interface PullReport {
  model: string;
  dir: string;
  files: { name: string; bytes: number }[];
  /** Optional files the hub does not have (404). */
  missing: string[];
}

/** Files a sentence-transformers ONNX export needs; the rest are used when present. */
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const OPTIONAL = ['special_tokens_map.json', 'modules.json', '1_Pooling/config.json', 'sentence_bert_config.json'];

/**
 * Downloads a model's files from a Hugging Face hub (or mirror) — {endpoint}/{model}/resolve/{revision}/{file}
 * — into modelDir/<model>, each written to a temporary name and renamed when complete.
 */
export async function pullModel(opts: {
  model: string;
  modelDir: string;
  endpoint: string;
  revision?: string;
  dtype?: 'fp32' | 'q8';
  token?: string;
  onFile?: (name: string, received: number, total: number | undefined) => void;
}): Promise<PullReport> {
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(opts.model) || opts.model.includes('..')) throw new Error(`models pull: ${JSON.stringify(opts.model)} is not a model name like org/name`);
  const dir = path.join(opts.modelDir, opts.model);
  const revision = opts.revision ?? 'main';
  const report: PullReport = { model: opts.model, dir, files: [], missing: [] };
  const wanted = [...REQUIRED.map((name) => ({ name, required: true })), { name: onnxFileName(opts.dtype ?? 'fp32'), required: true }, ...OPTIONAL.map((name) => ({ name, required: false }))];
  for (const { name, required } of wanted) {
    const url = `${opts.endpoint.replace(/\/+$/, '')}/${opts.model}/resolve/${encodeURIComponent(revision)}/${name}`;
    let res: Response;
    try {
      res = await fetch(url, { headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {}, redirect: 'follow' });
    } catch (err) {
      throw new Error(`models pull: ${url}: ${(err as Error).cause ? ((err as Error).cause as Error).message : (err as Error).message}`);
    }
    if (res.status === 404 && !required) {
      await res.body?.cancel();
      report.missing.push(name);
      continue;
    }
    if (!res.ok || !res.body) throw new Error(`models pull: ${url}: HTTP ${res.status}${res.status === 401 || res.status === 403 ? ' (a gated or private model needs HF_TOKEN)' : ''}`);
    const target = path.join(dir, name);
    const partial = `${target}.part`;
    mkdirSync(path.dirname(target), { recursive: true });
    const total = Number(res.headers.get('content-length')) || undefined;
    let received = 0;
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => opts.onFile?.(name, (received += chunk.length), total));
    try {
      await pipeline(body, createWriteStream(partial));
    } catch (err) {
      rmSync(partial, { force: true });
      throw new Error(`models pull: ${url}: download failed: ${(err as Error).message}`);
    }
    renameSync(partial, target);
    report.files.push({ name, bytes: received });
  }
  return report;
}
