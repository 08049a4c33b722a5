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
  /** Stops accepting connections and resolves once open ones are done; the caller closes the database. */
  close(): Promise<void>;
}

/** Starts serving Paperboy on config.host:config.port and logs the URL; search uses `searchDeps` (the configured embedder). */
export function startServer(config: Config, db: Db, searchDeps?: SearchDeps): Promise<RunningServer> {
  const app = createApp({ db, config, searchDeps });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info: AddressInfo) => {
      // 0.0.0.0 and :: are bind addresses, not places a browser can go.
      const host = ['0.0.0.0', '::'].includes(info.address) ? 'localhost' : info.address.includes(':') ? `[${info.address}]` : info.address;
      const url = `http://${host}:${info.port}`;
      if (config.logLevel !== 'silent') console.log(`Paperboy is serving ${db.location} at ${url}`);
      resolve({ url, server, close: () => closeServer(server) });
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
