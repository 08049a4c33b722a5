/** The Paperboy web app: middleware, routes and error pages, independent of how it is served. */
import { forYouRoutes } from './routes/for-you.ts';
import { recommendApiRoutes } from './routes/recommend-api.ts';
import { type Context, Hono } from 'hono';
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
import { adminSourcesRoutes } from './routes/admin-sources.ts';
import { feedRoutes } from './routes/feeds.ts';
import { isOneClickUnsubscribe, subscriptionRoutes } from './routes/subscriptions.ts';
import { secretKeyOf } from '../secret-key.ts';
import { authentication, isTokenAuthenticated, RequestEnded } from './auth.ts';
import { userSlotFiller } from './user-slots.tsx';
import { meRoutes } from './routes/me.ts';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import { type OpenApiDocument, openApiDocument } from './api/openapi.ts';
import { apiDocsRoutes } from './routes/api-docs.ts';
import { accountRoutes } from './routes/account.ts';
import { signInRoutes, signOutRoutes } from './routes/sign-in.ts';
import { collectionsApiRoutes } from './routes/collections-api.ts';
import { collectionRoutes } from './routes/collections.ts';
import { commentsApiRoutes } from './routes/comments-api.ts';
import { commentRoutes } from './routes/comments.ts';
import { accountCommentRoutes } from './routes/account-comments.ts';
import { auditRoutes, moderationRoutes } from './routes/moderation.ts';
import { uploadLimit } from './routes/collections-shared.ts';
import { observeRequests } from './observe.ts';
import { forwardedProto } from './client-address.ts';
import { opsRoutes } from './routes/ops.ts';
import type { ProcessState } from '../ops/readiness.ts';
import { oidcRoutes } from './routes/oidc.ts';
import { adminUsersRoutes } from './routes/admin-users.ts';
import { communityApiRoutes } from './routes/community-api.ts';
import { followsApiRoutes } from './routes/follows-api.ts';
import { communityRoutes } from './routes/community.ts';

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
  /** The serving process's state (search indexes loaded, stopping), for /readyz; `paperboy serve` passes it. */
  processState?: ProcessState;
  /** What /metrics answers (default: this process's registries; a cluster worker asks its primary). */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Request ids, latency metrics and access lines (default on; `npm run bench:observe` measures without). */
  observe?: boolean;
}

/** Builds the app; `app.request()` drives it in tests, `startServer` puts it on a port. */
export function createApp(deps: AppDeps): Hono {
  // An OpenAPIHono, so that the API routes mounted below (declared with createRoute) make up /api/openapi.json.
  const app = new OpenAPIHono<BlankEnv>();
  // Request id, log context, latency metrics: first, so they cover everything below.
  if (deps.observe !== false) app.use(observeRequests(deps.processState));
  app.use(securityHeaders());
  // Behind a TLS-terminating proxy: whether the visitor used https (Secure cookies), from X-Forwarded-Proto.
  app.use(forwardedProto(deps.config.trustProxyHops));
  // /healthz, /readyz, /metrics: before sessions, CSRF and the cache, which they need none of.
  app.route('/', opsRoutes(deps));
  app.use(sitePublicBase(deps.config.publicBaseUrl)); // canonical and share links are absolute
  // Only the public lists and paper pages; the root path is the newest day.
  const cached = /^(\/api)?\/(day|week|month|trending|search|authors|orgs|archive|papers)(\/|$)|^\/$/;
  // Who is asking (session cookie, or an API token under /api).
  app.use(authentication(deps));
  // Requests authenticated by an API token carry no cookie a page could have made the browser send: no CSRF check.
  const csrfExempt = (c: Context) => isOneClickUnsubscribe(c) || isTokenAuthenticated(c);
  // An import's upload past its limit is refused before anything reads it (the CSRF check parses forms).
  for (const path of ['/collections/:id/import', '/api/collections/:id/import']) app.use(path, uploadLimit);
  app.use(csrfProtection({ key: secretKeyOf(deps.config), publicOrigin: deps.config.publicBaseUrl, exempt: csrfExempt }));
  // The reader's parts of shared pages (user-slots.tsx), around the cache that keeps the shared part.
  app.use(userSlotFiller(deps));
  app.use(responseCache({ ttlMs: deps.cacheTtlMs ?? 10_000, maxEntries: 500 }, cached, deps));

  app.route('/api', searchApiRoutes(deps)); // before the lists: /api/search and /api/papers/{ref}/similar are search's
  // Each list answers HTML at its path and JSON at /api + the same path.
  for (const [prefix, format] of [['/', 'html'], ['/api', 'json']] as const) {
    for (const routes of [dailyRoutes, trendingRoutes, searchRoutes, peopleRoutes, archiveRoutes]) app.route(prefix, routes(deps, format));
  }
  app.route('/papers', paperRoutes(deps));
  app.route('/api', apiRoutes(deps));
  app.route('/api', meRoutes());
  // The community signals (issue 9): the reader's votes, reading state, follows and submissions.
  app.route('/api', communityApiRoutes(deps));
  app.route('/api', followsApiRoutes(deps));
  // People's content (issue 9): collections and comments, their moderation.
  app.route('/api', collectionsApiRoutes(deps));
  app.route('/api', commentsApiRoutes(deps));
  // Recommendations (issue 10): the For-you pages, their private feeds and JSON — answered with
  // RECOMMENDATIONS=on (the default; config.ts); with off they are not there, like any unknown path.
  if (!deps.config.recommendations) for (const path of ['/for-you', '/for-you/*', '/api/recommendations']) app.use(path, async (c) => errorResponse(c, 404));
  app.route('/api', recommendApiRoutes(deps));
  app.route('/', forYouRoutes(deps));
  app.route('/collections', collectionRoutes(deps));
  app.route('/comments', commentRoutes(deps));
  app.route('/', communityRoutes(deps));
  // /api/openapi.json and the /api page: made at the first request, from every API route mounted on app.
  let document: OpenApiDocument | undefined;
  app.route('/api', apiDocsRoutes(() => (document ??= openApiDocument(app))));
  app.route('/assets', assetRoutes);
  app.route('/', subscriptionRoutes(deps));
  app.route('/signin/oidc', oidcRoutes(deps)); // before signInRoutes: /signin/oidc is single sign-on's
  app.route('/signin', signInRoutes(deps));
  app.route('/', signOutRoutes(deps));
  app.route('/account/comments', accountCommentRoutes(deps)); // before /account
  app.route('/account', accountRoutes(deps));
  app.route('/admin/users', adminUsersRoutes(deps));
  app.route('/admin/comments', moderationRoutes(deps));
  app.route('/admin/audit', auditRoutes(deps));
  app.route('/admin/sources', adminSourcesRoutes(deps));
  app.route('/admin', adminRoutes(deps));
  app.route('/feeds', feedRoutes(deps));

  app.notFound((c) => errorResponse(c, 404));
  app.onError((err, c) => {
    // requireUser, ownedOr404 and the like end a request with the answer they made.
    if (err instanceof RequestEnded) return err.response;
    // Hono's and the API validators' own refusals (a body that is not JSON, or malformed): an API client is told which.
    if (err instanceof HTTPException && err.status < 500) return errorResponse(c, err.status === 404 ? 404 : 400, c.req.path.startsWith('/api/') ? apiBodyMessage(err) : undefined);
    // A request that asks for more than a filter may hold: the reader is told the limit.
    if (err instanceof FilterLimitError) return errorResponse(c, 400, err.message);
    // The stack goes to the server log only; the user sees a generic page.
    if (deps.config.logLevel !== 'silent') console.error(`http: ${c.req.method} ${c.req.path} failed:`, err);
    return errorResponse(c, 500);
  });
  return app;
}

/** What an API client is told about a request body the validators refused before any schema saw it. */
function apiBodyMessage(err: HTTPException): string | undefined {
  if (err.status === 415) return 'The body must be JSON, sent with Content-Type: application/json.';
  if (/malformed json/i.test(err.message)) return 'The body is not valid JSON.';
  return undefined;
}
