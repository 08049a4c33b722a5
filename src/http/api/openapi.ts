/**
 * The JSON API's contract: routes are declared with `createRoute` from the same zod schemas their handlers
 * validate with, registered on an `apiRouter()`, and `openApiDocument` turns the app's declarations into the
 * OpenAPI 3.1 document at /api/openapi.json (docs/openapi.json is its committed snapshot, `npm run openapi`).
 *
 * A request that fails a schema gets the API's usual error (errors.ts#errorJson): a 400 with the schema's
 * message for query and body, a 404 for a path that names nothing (as an unknown id is).
 */
import { type Hook, OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { BlankEnv } from 'hono/types';
import { errorJson, errorResponse, pastLastPageInfo } from '../errors.ts';
import type { ErrorInfo } from '../pages/error.tsx';
import { validationMessage } from '../params.ts';
import { ErrorBody } from './schemas.ts';

/** The name of the personal-API-token security scheme (`Authorization: Bearer pb_…`). */
export const BEARER = 'apiToken';
/** The name of the session-cookie security scheme (a signed-in browser). */
export const SESSION = 'session';

/** `security` of a route that needs an account: an API token, or a signed-in browser's session. */
export const SIGNED_IN: Record<string, string[]>[] = [{ [BEARER]: [] }, { [SESSION]: [] }];

/**
 * `{ref}` in a route path: a paper reference, `2401.01234`, `2401.01234v2`, an old-style `hep-th/9901001` or
 * `id/123`. Old ids and numeric ids hold a slash, so the route matches exactly those shapes (and nothing
 * longer: `/papers/{ref}/comments` is not taken for a paper). The document shows it as `{ref}`.
 */
export const REF = '{ref{(?:id/[0-9]+|[a-zA-Z][a-zA-Z.-]*/[0-9]+(?:v[0-9]+)?|[^/]+)}}';

/** The path parameters of a `/papers/${REF}/…` route. */
export const PaperRefParams = z.object({
  ref: z.string().max(200).meta({ description: 'An arXiv id (`2401.01234`, `2401.01234v2`, `hep-th/9901001`) or `id/{numeric id}`.', example: '2401.01234' }),
});

// Query and body: the schema's own words. Path: an address that names nothing is Not Found, whatever its shape.
const validationFailed: Hook<unknown, BlankEnv, string, Response | Promise<Response> | undefined> = (result, c) => {
  if (result.success) return undefined;
  if (result.target === 'param') return errorResponse(c, 404);
  return errorResponse(c, 400, validationMessage(result.error));
};

/** A router for API routes (and the HTML twins of list routes): `.openapi(route, handler)` validates and documents. */
export function apiRouter() {
  return new OpenAPIHono<BlankEnv>({ defaultHook: validationFailed });
}

/** The error responses of a route, for its `responses`: `...errors(400, 404)`. */
export function errors<S extends ErrorInfo['status']>(...statuses: S[]) {
  const described: Record<ErrorInfo['status'], string> = {
    400: 'A parameter or field fails its check; the message says which and why.',
    401: 'Not signed in: no session, or the API token is unknown or revoked.',
    403: 'Signed in, but the account may not do this.',
    404: 'Nothing there, or it is private to someone else.',
    429: 'Too many attempts; try again later.',
    500: 'Paperboy failed; the details are in the server log.',
    503: 'A service Paperboy asks on the reader’s behalf (arXiv) did not answer; try again later.',
  };
  return Object.fromEntries(statuses.map((status) => [status, { description: described[status], content: { 'application/json': { schema: ErrorBody } } }])) as {
    [K in S]: { description: string; content: { 'application/json': { schema: typeof ErrorBody } } };
  };
}

/** A JSON response entry for `responses`. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** An API error as a typed response, so a route's handler may return it alongside its 200. */
export function apiError<S extends ErrorInfo['status']>(c: Context, status: S, message?: string, title?: string, link?: ErrorInfo['link']) {
  return c.json(errorJson(status, message, title, link), status);
}

/** The API's "past the last page" 404 (errors.ts#pastLastPage), typed. */
export function apiPastLastPage(c: Context, page: number, lastPage: number | undefined, href: (page: number) => string) {
  const { message, title, link } = pastLastPageInfo(page, lastPage, href);
  return apiError(c, 404, message, title, link);
}

/**
 * The HTML twin of a list route: the same path and parameters, validated by the same schemas (a bad value
 * is the same 400, as a page), answered by a page and left out of the document.
 */
export function pageOf<R extends RouteConfig>(route: R) {
  return { ...route, hide: true, responses: { 200: { description: 'An HTML page.' } } } as Omit<R, 'responses'> & { hide: true; responses: { 200: { description: string } } };
}

/** Groups of endpoints, in the order the document and the /api page list them. Add yours here. */
export const TAGS = [
  { name: 'papers', description: 'Papers by reference, and the newest papers.' },
  { name: 'lists', description: 'The daily, weekly and monthly lists, trending, authors, organizations and the archive: each page’s JSON twin.' },
  { name: 'search', description: 'Keyword, semantic and hybrid search, and similar papers.' },
  { name: 'account', description: 'The account a request acts as.' },
  { name: 'community', description: 'The signed-in reader’s upvotes, submissions, reading state and follows, and the Following list.' },
  { name: 'collections', description: 'Named lists of papers with a note each: private, unlisted (anyone with the link) or public; imports of BibTeX, RIS and CSL-JSON files.' },
  { name: 'comments', description: 'Comment threads on papers: Markdown with math, edits and deletions by their authors.' },
  { name: 'recommendations', description: 'Papers ranked for the signed-in reader from their votes, collections, follows and “not interested”, with the reasons.' },
  { name: 'meta', description: 'This document.' },
];

/** Route paths as the document shows them: `{ref{pattern}}` is `{ref}`. */
export function documentPath(path: string): string {
  return path.replace(/\{(\w+)\{[^}]*\}\}/g, '{$1}');
}

/** What the document is made from: the app's registry of declared routes. */
type Documented = Pick<OpenAPIHono, 'openAPIRegistry' | 'getOpenAPI31Document'>;

/** The OpenAPI 3.1 document of every route declared on `app` (and on the routers mounted into it). */
export function openApiDocument(app: Documented) {
  if (!withSchemes.has(app)) declareSecuritySchemes(app);
  withSchemes.add(app);
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Paperboy API',
      version: '1',
      description: 'Research papers as JSON: every list and paper page has a twin under /api, plus search and the signed-in reader’s actions. Errors are `{ "error": { status, title, message } }`. Private things answer 404 to anyone else.',
    },
    tags: TAGS,
  });
  return { ...document, paths: Object.fromEntries(Object.entries(document.paths ?? {}).map(([path, item]) => [documentPath(path), item])) };
}

const withSchemes = new WeakSet<object>();

function declareSecuritySchemes(app: Documented) {
  app.openAPIRegistry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    description: 'A personal API token (`pb_…`), created on the account page or with `paperboy tokens create EMAIL`. Accepted on /api paths only.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', SESSION, {
    type: 'apiKey',
    in: 'cookie',
    name: 'paperboy_session',
    description: 'A signed-in browser (`__Host-paperboy_session` on https). A POST, PATCH or DELETE also needs the `X-CSRF-Token` header; token requests do not.',
  });
}

/** The OpenAPI document's type, as the /api page reads it. */
export type OpenApiDocument = ReturnType<typeof openApiDocument>;
