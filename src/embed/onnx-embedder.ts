import type { Embedder } from './embedder.ts';

/** Loads a sentence-transformers ONNX model from the local model directory. */
export async function loadOnnxEmbedder(opts: { model: string; modelDir: string }): Promise<Embedder> {
  throw new Error(`embedder: onnx model ${opts.model} not available yet`);
}
