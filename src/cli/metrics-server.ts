/**
 * METRICS_PORT: /metrics on a port of its own, without the admin lock, for a Prometheus scraper on a
 * private interface (METRICS_HOST, default 127.0.0.1). A plain node:http server: nothing else answers there.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.ts';

/** A listening metrics server. */
export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** Serves `source` at GET /metrics on config.metrics.host:port. */
export function startMetricsServer(config: Pick<Config, 'metrics'>, source: () => Promise<{ contentType: string; body: string }>): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Only GET /metrics is served here.\n');
      return;
    }
    source().then(
      ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(body),
      (err: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics: ${err.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metrics.port, config.metrics.host, () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
      });
    });
  });
}
