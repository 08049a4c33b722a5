import type { Embedder } from './embedder.ts';

/** An embedder over an OpenAI-compatible /v1/embeddings API. */
export async function createOpenAiEmbedder(opts: { baseUrl: string; apiKey: string | undefined; model: string }): Promise<Embedder> {
  throw new Error(`embedder: openai provider for ${opts.model} not available yet`);
}
