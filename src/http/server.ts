/** Puts the web app on a port with Node's HTTP server. */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { SearchDeps } from '../search/search.service.ts';
import type { ProcessState } from '../ops/readiness.ts';
import { createApp } from './app.ts';

/** A listening server: where it is, and how to stop it. */
export interface RunningServer {
  /** The URL it answers on (the actual port when config.port is 0). */
  url: string;
  server: ServerType;
  /**
   * Stops accepting connections and resolves once open ones and running handlers are done, or after
   * `graceMs` (default DRAIN_MS), when the connections still open are cut; the caller closes the database.
   */
  close(graceMs?: number): Promise<void>;
}

/** How `startServer` serves, beyond the configuration. */
export interface ServeOptions {
  /** A cluster worker: its primary prints the serving line once. */
  quiet?: boolean;
  /** The process's state (search ready, stopping) for /readyz and `Connection: close`. */
  processState?: ProcessState;
  /** What /metrics answers (a cluster worker: the whole cluster's, from its primary). */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

/** The URL a browser reaches a listening address at: 0.0.0.0 and :: are bind addresses, not places to go. */
export function urlOf(info: { address: string; port: number }): string {
  const host = ['0.0.0.0', '::'].includes(info.address) ? 'localhost' : info.address.includes(':') ? `[${info.address}]` : info.address;
  return `http://${host}:${info.port}`;
}

/**
 * Starts serving Paperboy on config.host:config.port and logs the URL (unless `quiet`: a cluster worker,
 * whose primary says it once); search uses `searchDeps` (the configured embedder).
 */
export function startServer(config: Config, db: Db, searchDeps?: SearchDeps, { quiet = false, processState, metrics }: ServeOptions = {}): Promise<RunningServer> {
  const app = createApp({ db, config, searchDeps, processState, metrics });
  // Requests still being answered: a client that hung up (its socket closed, so server.close() is done)
  // leaves its handler running, and the store must stay open until it returns.
  const inFlight = new Set<Promise<unknown>>();
  const fetch: typeof app.fetch = (...args) => {
    const answer = Promise.resolve(app.fetch(...args));
    inFlight.add(answer);
    void answer.finally(() => inFlight.delete(answer)).catch(() => {});
    return answer;
  };
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: config.host, port: config.port }, (info: AddressInfo) => {
      const url = urlOf(info);
      if (config.logLevel !== 'silent' && !quiet) console.log(`Paperboy is serving ${db.location} at ${url}`);
      resolve({ url, server, close: (graceMs = DRAIN_MS) => stopServer(server, inFlight, Date.now() + graceMs) });
    });
    server.once('error', reject);
  });
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive connections would hold close() open for seconds; idle ones can go now.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}

/** How long a stopping server waits for handlers still running (their clients gone). */
const DRAIN_MS = 10_000;

/** Closes the port, waits for connections and handlers until `deadline`, then cuts what is left. */
async function stopServer(server: ServerType, inFlight: Set<Promise<unknown>>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  await Promise.race([closeServer(server).catch(() => undefined), late]);
  await drain(inFlight, deadline);
  clearTimeout(timer);
  // Past the deadline: a connection still open (a client that never finishes its request) is cut.
  if ('closeAllConnections' in server) server.closeAllConnections();
}

async function drain(inFlight: Set<Promise<unknown>>, deadline: number): Promise<void> {
  while (inFlight.size > 0 && Date.now() < deadline) {
    await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, deadline - Date.now()).unref())]);
  }
}
