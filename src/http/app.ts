/** The Paperboy web app: middleware, routes and error pages, independent of how it is served. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { assetRoutes } from './assets/assets.ts';
import { errorResponse } from './errors.ts';
import { apiRoutes } from './routes/api.ts';
import { homeRoutes } from './routes/home.ts';
import { paperRoutes } from './routes/papers.ts';
import { securityHeaders } from './security.ts';

/** What route modules need from the outside world. */
export interface AppDeps {
  db: Db;
  config: Config;
}

/** Builds the app; `app.request()` drives it in tests, `startServer` puts it on a port. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(securityHeaders());

  app.route('/', homeRoutes(deps));
  app.route('/papers', paperRoutes(deps));
  app.route('/api', apiRoutes(deps));
  app.route('/assets', assetRoutes);

  app.notFound((c) => errorResponse(c, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException && err.status < 500) return errorResponse(c, err.status === 404 ? 404 : 400);
    // The stack goes to the server log only; the user sees a generic page.
    if (deps.config.logLevel !== 'silent') console.error(`http: ${c.req.method} ${c.req.path} failed:`, err);
    return errorResponse(c, 500);
  });
  return app;
}
