/**
 * The first middleware of every request: gives it a request id (the client's or proxy's `X-Request-Id`
 * when it looks like one, else a new UUID), runs the rest of the request inside that id's log context
 * (ops/logger.ts; JSON logs only), returns the id in the response, records the latency under the route pattern that
 * answered (ops/metrics.ts), and in JSON-log mode writes one access line. While the process is stopping,
 * responses carry `Connection: close`, so no client reuses a connection that is about to go.
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { jsonLogger, requestContext } from '../ops/logger.ts';
import { observeRequest } from '../ops/metrics.ts';
import type { ProcessState } from '../ops/readiness.ts';

/** What a request id from outside may be: what proxies and tracing systems send (UUIDs, hex, base64url). */
const REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * The route pattern that answered (`/papers/:ref`): the handler's, or when a middleware answered (a
 * cached page, a refusal) the handler the path would have reached; `unmatched` for a path no route has.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  const at = routes[c.req.routeIndex];
  if (at && at.method !== 'ALL') return at.path;
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i].method !== 'ALL') return routes[i].path;
  return 'unmatched';
}

/** Sets a header on the finished response: in place (no copy of the response), unless its headers are immutable. */
function setHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}

/** The middleware; `state` (the serving process's) adds `Connection: close` once it is stopping. */
export function observeRequests(state?: ProcessState): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header('X-Request-Id');
    const requestId = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
    const started = performance.now();
    // The log context only when lines are JSON: AsyncLocalStorage makes every promise of the request
    // carry it, a cost not worth paying for text logs, which do not print it.
    const json = jsonLogger();
    await (json ? requestContext.run({ requestId }, next) : next());
    setHeader(c, 'X-Request-Id', requestId);
    if (state?.stopping) setHeader(c, 'Connection', 'close');
    const route = routeLabel(c);
    const seconds = (performance.now() - started) / 1000;
    observeRequest(c.req.method, route, c.res.status, seconds);
    json?.info({ reqId: requestId, method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 10_000) / 10 }, 'request');
  };
}
