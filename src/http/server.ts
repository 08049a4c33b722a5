/** Puts the web app on a port with Node's HTTP server. */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { SearchDeps } from '../search/search.service.ts';
import { createApp } from './app.ts';

/** A listening server: where it is, and how to stop it. */
export interface RunningServer {
  /** The URL it answers on (the actual port when config.port is 0). */
  url: string;
  server: ServerType;
  /** Stops accepting connections and resolves once open ones and running handlers are done; the caller closes the database. */
  close(): Promise<void>;
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
export function startServer(config: Config, db: Db, searchDeps?: SearchDeps, { quiet = false } = {}): Promise<RunningServer> {
  const app = createApp({ db, config, searchDeps });
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
      resolve({ url, server, close: () => closeServer(server).then(() => drain(inFlight)) });
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

async function drain(inFlight: Set<Promise<unknown>>): Promise<void> {
  const deadline = Date.now() + DRAIN_MS;
  while (inFlight.size > 0 && Date.now() < deadline) {
    await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, deadline - Date.now()).unref())]);
  }
}
