/**
 * Local stand-ins for the services the embedders talk to, on 127.0.0.1 with real sockets: an
 * OpenAI-compatible /v1/embeddings API and a Hugging Face hub serving /{repo}/resolve/{revision}/{file}.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHashingEmbedder } from './hashing-embedder.ts';

/** A running local server and the requests it has answered. */
export interface LocalServer<R> {
  baseUrl: string;
  requests: R[];
  close(): Promise<void>;
}

async function listen<R>(server: Server, requests: R[]): Promise<LocalServer<R>> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One call the embeddings server saw. */
export interface EmbeddingsRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: { model?: string; input?: string[] };
}

/**
 * An OpenAI-compatible embeddings API answering with hashing-embedder vectors (not normalized, in
 * reversed order, as servers are allowed to). `fail(k)` can make request k answer with an error status.
 */
export async function startEmbeddingsServer(opts: { dimensions?: number; fail?: (index: number) => number | undefined } = {}): Promise<LocalServer<EmbeddingsRequest>> {
  const embedder = createHashingEmbedder(opts.dimensions ?? 16);
  const requests: EmbeddingsRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const status = opts.fail?.(requests.length - 1);
      if (status) {
        res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '0' } : {}) });
        return void res.end(JSON.stringify({ error: { message: `scripted failure ${status}` } }));
      }
      if (req.method !== 'POST' || req.url !== '/v1/embeddings' || !Array.isArray(body.input)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ error: { message: 'not found' } }));
      }
      const vectors = await embedder.embed(body.input);
      const data = vectors.map((v, index) => ({ object: 'embedding', index, embedding: Array.from(v, (x) => x * 3) })).reverse();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', model: body.model, data, usage: { prompt_tokens: 0, total_tokens: 0 } }));
    });
  });
  return listen(server, requests);
}

/** A hub serving `files` (repo → file name → local path or content) under /{repo}/resolve/{revision}/{file}. */
export async function startHubServer(files: Record<string, Record<string, string | Buffer>>): Promise<LocalServer<string>> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    requests.push(url);
    const m = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(url);
    const content = m ? files[m[1]]?.[m[3]] : undefined;
    if (!m || content === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('Entry not found');
    }
    const body = typeof content === 'string' ? readFileSync(content) : content;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
  return listen(server, requests);
}
