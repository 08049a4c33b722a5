import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { l2Normalize } from './embedder.ts';
import { symmetricEigen } from './train/linalg.ts';

/**
 * A whitening transform for text vectors: subtract the corpus mean, rotate onto the principal axes of
 * the corpus's vectors and scale each axis to unit variance. Averaged word vectors share a few dominant
 * directions (frequent topics, length effects); whitening stops those from drowning out the rest.
 */
export interface Whitening {
  dimensions: number;
  mean: Float32Array;
  /** Row-major dimensions × dimensions matrix: whitened = (v − mean) · projection. */
  projection: Float32Array;
}

/** Learns the whitening of a sample of row-major vectors (`count` × `dimensions`). */
export function learnWhitening(vectors: Float32Array, dimensions: number): Whitening {
  const d = dimensions;
  const n = vectors.length / d;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += vectors[i * d + k] / n;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) centred[k] = vectors[i * d + k] - mean[k];
    for (let a = 0; a < d; a++) {
      const va = centred[a];
      if (va === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += va * centred[b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] = cov[a * d + b] / n;
  const { values, vectors: axes } = symmetricEigen(cov, d);
  // Axes with (numerically) no variance are dropped rather than blown up.
  const floor = values[0] * 1e-9;
  const projection = new Float32Array(d * d);
  for (let a = 0; a < d; a++) for (let c = 0; c < d; c++) projection[a * d + c] = values[c] > floor ? axes[a * d + c] / Math.sqrt(values[c]) : 0;
  return { dimensions: d, mean: Float32Array.from(mean), projection };
}

/** Applies a whitening to one vector and scales the result to unit length. */
export function whiten(w: Whitening, v: Float32Array): Float32Array {
  const d = w.dimensions;
  const out = new Float32Array(d);
  for (let a = 0; a < d; a++) {
    const x = v[a] - w.mean[a];
    if (x === 0) continue;
    const row = a * d;
    for (let c = 0; c < d; c++) out[c] += x * w.projection[row + c];
  }
  return l2Normalize(out);
}

const FORMAT = 'paperboy-whitening/1';

/** Writes a whitening (gzipped: a JSON header line, then float32 mean and projection). */
export function writeWhitening(file: string, w: Whitening, meta: Record<string, unknown>): number {
  const head = Buffer.from(`${JSON.stringify({ format: FORMAT, dimensions: w.dimensions, ...meta })}\n`);
  const pad = Buffer.alloc((4 - (head.length % 4)) % 4, 32);
  const gz = gzipSync(Buffer.concat([head, pad, Buffer.from(w.mean.buffer, w.mean.byteOffset, w.mean.byteLength), Buffer.from(w.projection.buffer, w.projection.byteOffset, w.projection.byteLength)]), { level: 9 });
  writeFileSync(file, gz);
  return gz.length;
}

/** Reads a file written by `writeWhitening`. */
export function readWhitening(file: string): Whitening & { meta: Record<string, unknown> } {
  const buf = gunzipSync(readFileSync(file));
  const end = buf.indexOf(10);
  const { format, dimensions: d, ...meta } = JSON.parse(buf.subarray(0, end).toString('utf8')) as { format: string; dimensions: number };
  if (format !== FORMAT) throw new Error(`whitening file ${file}: unknown format ${JSON.stringify(format)}`);
  let pos = end + 1;
  pos += (4 - (pos % 4)) % 4;
  const floats = new Float32Array(buf.buffer.slice(buf.byteOffset + pos, buf.byteOffset + pos + (d + d * d) * 4));
  return { dimensions: d, mean: floats.slice(0, d), projection: floats.slice(d), meta };
}
