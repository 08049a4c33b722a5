/**
 * Who is asking, for rate limits: the connection's peer, or behind trusted reverse proxies the address the
 * outermost of them saw. Nothing grants access by address: /admin asks for its token whoever connects
 * (see admin-auth.ts), since a proxy on this machine connects from loopback on behalf of anyone.
 */
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';

function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Requests made with app.request in tests have no socket.
    return 'unknown';
  }
}

/** An X-Forwarded-For entry as an address: `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443`, `2001:db8::1`. */
function entryAddress(entry: string): string | undefined {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  const candidate = bracketed ? bracketed[1] : /^[\d.]+:\d+$/.test(entry) ? entry.slice(0, entry.lastIndexOf(':')) : entry;
  return isIP(candidate) ? candidate.toLowerCase() : undefined;
}

/**
 * The client's IP address. With `trustedHops` = 0 (TRUST_PROXY=off) the peer of the connection. Behind
 * N proxies that each append the address they saw to X-Forwarded-For, the Nth entry from the right: the
 * ones further left were written by the client (or whoever it pretends to be) and are never used, so
 * rotating them changes nothing. With fewer entries than proxies, the leftmost; an entry that is not an
 * address (no proxy writes one), or no header at all, gives the peer.
 */
export function clientAddress(c: Context, trustedHops = 0): string {
  if (trustedHops > 0) {
    const entries = (c.req.header('X-Forwarded-For') ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    if (entries.length > 0) {
      const address = entryAddress(entries[Math.max(0, entries.length - trustedHops)]);
      if (address) return address;
    }
  }
  return peerAddress(c);
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `forwardedProto`: the visitor reached the TLS-terminating proxy over https. */
    viaHttps?: boolean;
  }
}

/**
 * Middleware: behind trusted proxies (TRUST_PROXY ≥ 1), the scheme the visitor used is the proxy's
 * `X-Forwarded-Proto` (nginx: `proxy_set_header X-Forwarded-Proto $scheme;`, which replaces whatever the
 * visitor sent); without trusted proxies the header is ignored, since anyone can write it.
 */
export function forwardedProto(trustedHops = 0): MiddlewareHandler {
  return async (c, next) => {
    if (trustedHops > 0) {
      const proto = c.req.header('X-Forwarded-Proto');
      if (proto) c.set('viaHttps', proto.split(',').at(-1)!.trim().toLowerCase() === 'https');
    }
    await next();
  };
}

/** Whether the visitor's request came over https (then cookies are `Secure`): directly, or through a trusted proxy. */
export function isHttps(c: Context): boolean {
  return c.get('viaHttps') ?? new URL(c.req.url).protocol === 'https:';
}
