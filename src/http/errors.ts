/** Error responses in the shape the client asked for: JSON under /api, an HTML page elsewhere. */
import type { Context } from 'hono';
import { errorPage, type ErrorInfo } from './pages/error.tsx';
import { formatCount } from './pages/format.ts';

const MESSAGES: Record<ErrorInfo['status'], Omit<ErrorInfo, 'status'>> = {
  400: { title: 'Bad request', message: 'The address has a parameter Paperboy cannot read.' },
  401: { title: 'Please sign in', message: 'This needs an account. Sign in and try again.' },
  403: { title: 'Not allowed', message: 'Your account cannot do this.' },
  429: { title: 'Too many attempts', message: 'Too many attempts from here. Wait a while and try again.' },
  404: { title: 'Not found', message: 'There is no page at this address. The paper may not have been imported yet.' },
  500: { title: 'Something went wrong', message: 'Paperboy could not answer this request. The details are in the server log.' },
  503: { title: 'Try again soon', message: 'A service Paperboy asks on your behalf (arXiv) did not answer. Try again in a minute.' },
};

/** Whether a request is for the JSON API, whose errors are JSON too. */
function isApi(c: Context): boolean {
  return c.req.path === '/api' || c.req.path.startsWith('/api/');
}

function errorInfo(status: ErrorInfo['status'], message?: string, title?: string, link?: ErrorInfo['link']): ErrorInfo {
  return { status, ...MESSAGES[status], ...(message ? { message } : {}), ...(title ? { title } : {}), link };
}

/** The JSON body of an API error (`ErrorBody` in src/http/api/schemas.ts describes it): the same words as the page. */
export function errorJson(status: ErrorInfo['status'], message?: string, title?: string, link?: ErrorInfo['link']) {
  const info = errorInfo(status, message, title, link);
  return { error: { status, title: info.title, message: info.message, ...(link ? { link: link.href } : {}) } };
}

/** Answers with an error status; `message` replaces the generic one (it is shown to the user, so no internals). */
export function errorResponse(c: Context, status: ErrorInfo['status'], message?: string, title?: string, link?: ErrorInfo['link']): Response | Promise<Response> {
  if (isApi(c)) return c.json(errorJson(status, message, title, link), status);
  return c.html(errorPage(errorInfo(status, message, title, link)), status);
}

/**
 * A page number past the end of a list or of search results: a 404 that says so and leads to the last page
 * (`lastPage`, when known; otherwise to the first). `href(n)` is the URL of page n in the same shape (HTML or JSON).
 */
export function pastLastPage(c: Context, page: number, lastPage: number | undefined, href: (page: number) => string): Response | Promise<Response> {
  const { message, title, link } = pastLastPageInfo(page, lastPage, href);
  return errorResponse(c, 404, message, title, link);
}

/** What `pastLastPage` says, for an answer in another shape (the typed JSON of API routes). */
export function pastLastPageInfo(page: number, lastPage: number | undefined, href: (page: number) => string) {
  const pages = (n: number) => `${formatCount(n)} ${n === 1 ? 'page' : 'pages'}`;
  const message = lastPage ? `Page ${page} is past the end: there ${lastPage === 1 ? 'is' : 'are'} only ${pages(lastPage)}.` : `Page ${page} is past the end of these results.`;
  const link = lastPage ? { href: href(lastPage), label: `Go to the last page (${formatCount(lastPage)})` } : { href: href(1), label: 'Go to the first page' };
  return { message, title: 'Past the last page', link };
}
