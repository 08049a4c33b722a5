/**
 * A real HTTP server on 127.0.0.1 for the fetch tests: each request is logged with its arrival time
 * (measured here, server-side) and answered by a script of responses, so retries and spacing are
 * tested against actual sockets rather than a mocked fetch.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

const WARM_UP = '/__warm-up';

/** What the script answers: a response, a dropped connection, or silence (to trigger a timeout). */
export type ScriptedReply =
  | { status: number; body?: string; headers?: Record<string, string> }
  | 'drop'
  | 'hang';

/** One request the server saw. */
export interface SeenRequest {
  url: URL;
  headers: IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
}

/** A running test server and what it has seen. */
export interface TestServer {
  baseUrl: string;
  requests: SeenRequest[];
  /** Milliseconds between consecutive request arrivals. */
  gaps(): number[];
  /**
   * Throws unless request k arrived at least k * spacingMs after `startedAt` (a performance.now() taken
   * before the first call). Arrivals can only be late, never early, so unlike gaps this cannot flake
   * when a loaded machine delays one request more than the next.
   */
  assertSpacing(startedAt: number, spacingMs: number): void;
  close(): Promise<void>;
}

/** Starts a server on an ephemeral port (or `port`); `reply` is called with each request, its 0-based index and its headers. */
export async function startTestServer(reply: (url: URL, index: number, headers: IncomingHttpHeaders) => ScriptedReply, port = 0): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === WARM_UP) return void res.end();
    requests.push({ url, headers: req.headers, at: performance.now() });
    const answer = reply(url, requests.length - 1, req.headers);
    if (answer === 'drop') return void req.socket.destroy();
    if (answer === 'hang') return;
    res.writeHead(answer.status, { 'Content-Type': 'application/xml; charset=utf-8', ...answer.headers });
    res.end(answer.body ?? '');
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A process's first fetch pays undici's start-up and arrives late, which would shrink the first
  // measured gap; one unlogged request up front keeps the timing assertions honest.
  await (await fetch(`${baseUrl}${WARM_UP}`)).text();
  return {
    baseUrl,
    requests,
    gaps: () => requests.slice(1).map((r, i) => r.at - requests[i].at),
    assertSpacing(startedAt, spacingMs) {
      requests.forEach((r, k) => {
        const offset = r.at - startedAt;
        // 2 ms of slack: Date.now() (used for the slots) and performance.now() round differently.
        if (offset < k * spacingMs - 2) {
          throw new Error(`request ${k} (${r.url.pathname}) arrived ${offset.toFixed(1)} ms after start, before ${k * spacingMs} ms`);
        }
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
