/** Guards /admin: open to this machine (direct loopback), or to anyone presenting ADMIN_TOKEN. */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { isDirectLoopback } from './client-address.ts';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a request presents: `Authorization: Bearer T`, or HTTP Basic with T as the password (any user name). */
function presentedToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

/** Middleware: lets loopback requests and holders of `adminToken` through; asks the browser for the token otherwise. */
export function adminOnly(adminToken: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const token = presentedToken(c.req.header('Authorization'));
    if ((adminToken && token && same(token, adminToken)) || isDirectLoopback(c)) return next();
    if (!adminToken) return c.text('The admin pages are only reachable from this machine (set ADMIN_TOKEN to open them to others).', 403);
    c.header('WWW-Authenticate', 'Basic realm="Paperboy admin", charset="UTF-8"');
    return c.text('The admin pages need ADMIN_TOKEN (as the password, any user name).', 401);
  };
}
