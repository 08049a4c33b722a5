/** Who is asking: the peer address of the connection, for rate limits and the loopback check of /admin. */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The IP address of the connection, or 'unknown' (requests made with app.request in tests have none).
 * Forwarded headers are not trusted: behind a reverse proxy every visitor shares the proxy's address.
 */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Whether the request comes from this machine directly (loopback, and not relayed by a proxy). */
export function isDirectLoopback(c: Context): boolean {
  const address = clientAddress(c);
  const loopback = address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
  // A reverse proxy on the same machine connects from loopback on behalf of anyone: it adds these headers.
  const relayed = c.req.header('X-Forwarded-For') !== undefined || c.req.header('Forwarded') !== undefined || c.req.header('X-Real-IP') !== undefined;
  return loopback && !relayed;
}
