/**
 * The operator's endpoints: /healthz (the process answers: for a liveness probe), /readyz (send it
 * traffic: database reachable, migrations applied, search indexes loaded, not stopping; 503 otherwise)
 * and /metrics (Prometheus text, behind the same lock as /admin; METRICS_PORT serves it without one, for a
 * scraper on a private interface). None of them is cached or touches a session.
 */
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { adminOnly } from '../admin-auth.ts';
import { metricsText } from '../../ops/metrics.ts';
import { checkReadiness } from '../../ops/readiness.ts';

/** Routes /healthz, /readyz and /metrics. */
export function opsRoutes({ db, config, processState, metrics }: AppDeps) {
  return new Hono()
    .get('/healthz', (c) => {
      c.header('Cache-Control', 'no-store');
      return c.text('ok\n');
    })
    .get('/readyz', async (c) => {
      const readiness = await checkReadiness(db, processState);
      c.header('Cache-Control', 'no-store');
      return c.json({ status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks }, readiness.ready ? 200 : 503);
    })
    .get('/metrics', adminOnly(config), async (c) => {
      const { contentType, body } = await (metrics ?? metricsText)();
      c.header('Cache-Control', 'no-store');
      c.header('Content-Type', contentType);
      return c.body(body);
    });
}
