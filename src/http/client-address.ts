/** Who is asking: the peer address of the connection, for rate limits and the loopback check of /admin. */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client's IP address: the connection's peer, or 'unknown' (requests made with app.request in tests have
 * none). With `trustProxy` (TRUST_PROXY=on, behind a reverse proxy) the last X-Forwarded-For entry — the
 * address the proxy itself saw — instead, since otherwise every visitor shares the proxy's address.
 */
export function clientAddress(c: Context, trustProxy = false): string {
  const forwarded = trustProxy ? c.req.header('X-Forwarded-For')?.split(',').at(-1)?.trim() : undefined;
  if (forwarded) return forwarded;
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
