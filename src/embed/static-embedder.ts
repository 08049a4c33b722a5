import type { Embedder } from './embedder.ts';

/** Loads the bundled static word-vector embedder (src/embed/data). */
export async function loadStaticEmbedder(model: string): Promise<Embedder> {
  throw new Error(`embedder: static model ${model} is not built yet`);
}
