/** The Paperboy web app: middleware, routes and error pages, independent of how it is served. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { FilterLimitError, type SearchDeps } from '../search/search.service.ts';
import { assetRoutes } from './assets/assets.ts';
import { responseCache } from './cache.ts';
import { errorResponse } from './errors.ts';
import { apiRoutes } from './routes/api.ts';
import { archiveRoutes } from './routes/archive.ts';
import { dailyRoutes } from './routes/daily.ts';
import { paperRoutes } from './routes/papers.ts';
import { peopleRoutes } from './routes/people.ts';
import { searchRoutes } from './routes/search.ts';
import { searchApiRoutes } from './routes/search-api.ts';
import { trendingRoutes } from './routes/trending.ts';
import { securityHeaders } from './security.ts';
import { sitePublicBase } from './site.ts';
import { csrfProtection } from './csrf.ts';
import { adminRoutes } from './routes/admin.ts';
import { feedRoutes } from './routes/feeds.ts';
import { isOneClickUnsubscribe, subscriptionRoutes } from './routes/subscriptions.ts';
import { secretKeyOf } from '../secret-key.ts';

/** What route modules need from the outside world. */
export interface AppDeps {
  db: Db;
  config: Config;
  /** The current time (tests pin it; the "new" badge depends on it). */
  now?: () => Date;
  /** How long whole GET responses are reused (default 10 s; 0 turns the cache off). */
  cacheTtlMs?: number;
  /** Which embedder search uses for queries (the server passes the configured one; default keyword only). */
  searchDeps?: SearchDeps;
}

/** Builds the app; `app.request()` drives it in tests, `startServer` puts it on a port. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(securityHeaders());
  app.use(sitePublicBase(deps.config.publicBaseUrl)); // canonical and share links are absolute
  // Only the public lists and paper pages; the root path is the newest day.
  const cached = /^(\/api)?\/(day|week|month|trending|search|authors|orgs|archive|papers)(\/|$)|^\/$/;
  app.use(responseCache({ ttlMs: deps.cacheTtlMs ?? 10_000, maxEntries: 500 }, cached));
  app.use(csrfProtection({ key: secretKeyOf(deps.config), publicOrigin: deps.config.publicBaseUrl, exempt: isOneClickUnsubscribe }));

  app.route('/api', searchApiRoutes(deps)); // before the lists: /api/search and /api/papers/{ref}/similar are search's
  // Each list answers HTML at its path and JSON at /api + the same path.
  for (const [prefix, format] of [['/', 'html'], ['/api', 'json']] as const) {
    for (const routes of [dailyRoutes, trendingRoutes, searchRoutes, peopleRoutes, archiveRoutes]) app.route(prefix, routes(deps, format));
  }
  app.route('/papers', paperRoutes(deps));
  app.route('/api', apiRoutes(deps));
  app.route('/assets', assetRoutes);
  app.route('/', subscriptionRoutes(deps));
  app.route('/admin', adminRoutes(deps));
  app.route('/feeds', feedRoutes(deps));

  app.notFound((c) => errorResponse(c, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException && err.status < 500) return errorResponse(c, err.status === 404 ? 404 : 400);
    // A request that asks for more than a filter may hold: the reader is told the limit.
    if (err instanceof FilterLimitError) return errorResponse(c, 400, err.message);
    // The stack goes to the server log only; the user sees a generic page.
    if (deps.config.logLevel !== 'silent') console.error(`http: ${c.req.method} ${c.req.path} failed:`, err);
    return errorResponse(c, 500);
  });
  return app;
}
