import { l2Normalize, type Embedder } from './embedder.ts';

/** Settings of an OpenAI-compatible embeddings API (OpenAI, Ollama, TEI, vLLM, LocalAI …). */
export interface OpenAiEmbedderOptions {
  /** e.g. https://api.openai.com or http://localhost:11434; a trailing /v1 is accepted too. */
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  /** Texts per request. */
  batchSize?: number;
  /** Attempts per batch on 429, 5xx and network errors, with exponential back-off. */
  maxAttempts?: number;
  /** First back-off delay; doubles per attempt (a Retry-After header wins). */
  retryDelayMs?: number;
  timeoutMs?: number;
  /** Known output size; otherwise one probe request finds it. */
  dimensions?: number;
}

/** Characters sent per text: far beyond any abstract, well below every model's context. */
const MAX_CHARS = 8000;

/** An embedder over POST {base}/v1/embeddings; the vector size is probed once when not given. */
export async function createOpenAiEmbedder(opts: OpenAiEmbedderOptions): Promise<Embedder> {
  const url = `${opts.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/embeddings`;
  const batchSize = opts.batchSize ?? 64;
  const maxAttempts = opts.maxAttempts ?? 5;
  const retryDelayMs = opts.retryDelayMs ?? 500;
  const timeoutMs = opts.timeoutMs ?? 60_000;

  async function request(input: string[]): Promise<number[][]> {
    for (let attempt = 1; ; attempt++) {
      let retryAfterMs: number | undefined;
      let problem: string;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
          body: JSON.stringify({ model: opts.model, input }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.ok) return parseResponse(await res.json(), input.length);
        const body = (await res.text()).slice(0, 300);
        problem = `HTTP ${res.status}: ${body}`;
        if (res.status !== 429 && res.status < 500) throw new EmbeddingApiError(`embedder: ${url} (model ${opts.model}): ${problem}`);
        const header = Number(res.headers.get('retry-after'));
        if (Number.isFinite(header) && header > 0) retryAfterMs = Math.min(header * 1000, 60_000);
      } catch (err) {
        if (err instanceof EmbeddingApiError) throw err;
        problem = (err as Error).message;
      }
      if (attempt >= maxAttempts) throw new EmbeddingApiError(`embedder: ${url} (model ${opts.model}): gave up after ${attempt} attempts: ${problem}`);
      await new Promise((r) => setTimeout(r, retryAfterMs ?? retryDelayMs * 2 ** (attempt - 1)));
    }
  }

  async function embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(texts.length);
    // Empty texts are not sent (some servers reject them); they get zero vectors.
    const todo = texts.map((t, i) => ({ i, text: t.trim().slice(0, MAX_CHARS) })).filter((t) => t.text.length > 0);
    for (let start = 0; start < todo.length; start += batchSize) {
      const batch = todo.slice(start, start + batchSize);
      const vectors = await request(batch.map((t) => t.text));
      batch.forEach((t, k) => (out[t.i] = l2Normalize(Float32Array.from(vectors[k]))));
    }
    const size = dimensions ?? todo.length ? out[todo[0]?.i]?.length : 0;
    for (let i = 0; i < texts.length; i++) out[i] ??= new Float32Array(size ?? 0);
    if (dimensions !== undefined) for (const v of out) if (v.length !== dimensions) throw new EmbeddingApiError(`embedder: ${url} (model ${opts.model}) returned ${v.length} dimensions, expected ${dimensions}`);
    return out;
  }

  let dimensions: number | undefined = opts.dimensions;
  if (dimensions === undefined) dimensions = (await embed(['dimension probe']))[0].length;
  return { id: `openai:${opts.model}:${dimensions}d`, dimensions, embed };
}

/** The API answered with an error that retrying will not fix, or kept failing. */
export class EmbeddingApiError extends Error {}

function parseResponse(json: unknown, expected: number): number[][] {
  const data = (json as { data?: { embedding?: unknown; index?: unknown }[] })?.data;
  if (!Array.isArray(data) || data.length !== expected) throw new EmbeddingApiError(`embedder: expected ${expected} embeddings, got ${Array.isArray(data) ? data.length : 'no data array'}`);
  const out: number[][] = new Array(expected);
  data.forEach((d, k) => {
    const index = typeof d.index === 'number' ? d.index : k;
    if (!Array.isArray(d.embedding) || index < 0 || index >= expected) throw new EmbeddingApiError(`embedder: malformed embedding at position ${k}`);
    out[index] = d.embedding as number[];
  });
  return out;
}
