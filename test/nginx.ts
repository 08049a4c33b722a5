/**
 * A real nginx reverse proxy in front of a test server: plain `proxy_pass` (which adds no forwarding
 * header and sends the upstream address as Host), or proxies that append the peer to X-Forwarded-For,
 * one or two hops deep. Runs as one foreground process (`master_process off`) under a temp prefix.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where CI installs nginx (.ci/run). */
export const NGINX_PATH = process.env.PAPERBOY_NGINX ?? '/usr/sbin/nginx';

/** Why nginx tests cannot run here, or undefined when they can. */
export function nginxMissing(): string | undefined {
  return existsSync(NGINX_PATH) ? undefined : `proxy tests need nginx at ${NGINX_PATH} (apt-get install nginx, or set PAPERBOY_NGINX)`;
}

/** A running proxy. */
export interface NginxProxy {
  /** The outermost proxy's address, what a visitor connects to. */
  url: string;
  close(): Promise<void>;
}

/** How the proxy forwards. */
export interface NginxOptions {
  /** Append the peer to X-Forwarded-For (`$proxy_add_x_forwarded_for`) at every hop; off is plain `proxy_pass`. */
  forwardedFor: boolean;
  /** Proxies in a row (a CDN and a local nginx are two). */
  hops?: 1 | 2;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, log: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}; see ${log}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nginx did not listen on ${port}; see ${log}`);
}

/** Starts nginx proxying to `upstream` (http://127.0.0.1:PORT). */
export async function startNginx(upstream: string, opts: NginxOptions): Promise<NginxProxy> {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-nginx-'));
  const ports = await Promise.all(Array.from({ length: opts.hops ?? 1 }, freePort));
  const forward = opts.forwardedFor ? 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;' : '';
  // The outer proxy (ports[0]) forwards to the inner one, the innermost to the upstream.
  const servers = ports.map((port, i) => {
    const next = i + 1 < ports.length ? `http://127.0.0.1:${ports[i + 1]}` : upstream;
    return `server { listen 127.0.0.1:${port}; location / { proxy_pass ${next}; ${forward} } }`;
  });
  const log = path.join(dir, 'error.log');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${path.join(dir, t)};`).join(' ');
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off; master_process off; worker_processes 1; pid ${path.join(dir, 'nginx.pid')}; error_log ${log} warn;
events { worker_connections 64; }
http { access_log off; ${temp}
${servers.join('\n')}
}
`,
  );
  const child = spawn(NGINX_PATH, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', log], { stdio: 'ignore' });
  await waitForPort(ports[0], child, log);
  if (ports.length > 1) await waitForPort(ports[1], child, log);
  return {
    url: `http://127.0.0.1:${ports[0]}`,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
