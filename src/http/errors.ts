/** Error responses in the shape the client asked for: JSON under /api, an HTML page elsewhere. */
import type { Context } from 'hono';
import { errorPage, type ErrorInfo } from './pages/error.tsx';
import { formatCount } from './pages/format.ts';

const MESSAGES: Record<ErrorInfo['status'], Omit<ErrorInfo, 'status'>> = {
  400: { title: 'Bad request', message: 'The address has a parameter Paperboy cannot read.' },
  404: { title: 'Not found', message: 'There is no page at this address. The paper may not have been imported yet.' },
  500: { title: 'Something went wrong', message: 'Paperboy could not answer this request. The details are in the server log.' },
};

/** Whether a request is for the JSON API, whose errors are JSON too. */
function isApi(c: Context): boolean {
  return c.req.path === '/api' || c.req.path.startsWith('/api/');
}

/** Answers with an error status; `message` replaces the generic one (it is shown to the user, so no internals). */
export function errorResponse(c: Context, status: ErrorInfo['status'], message?: string, title?: string, link?: ErrorInfo['link']): Response | Promise<Response> {
  const info: ErrorInfo = { status, ...MESSAGES[status], ...(message ? { message } : {}), ...(title ? { title } : {}), link };
  if (isApi(c)) return c.json({ error: { status, title: info.title, message: info.message, ...(link ? { link: link.href } : {}) } }, status);
  return c.html(errorPage(info), status);
}

/**
 * A page number past the end of a list or of search results: a 404 that says so and leads to the last page
 * (`lastPage`, when known; otherwise to the first). `href(n)` is the URL of page n in the same shape (HTML or JSON).
 */
export function pastLastPage(c: Context, page: number, lastPage: number | undefined, href: (page: number) => string): Response | Promise<Response> {
  const pages = (n: number) => `${formatCount(n)} ${n === 1 ? 'page' : 'pages'}`;
  const message = lastPage ? `Page ${page} is past the end: there ${lastPage === 1 ? 'is' : 'are'} only ${pages(lastPage)}.` : `Page ${page} is past the end of these results.`;
  const link = lastPage ? { href: href(lastPage), label: `Go to the last page (${formatCount(lastPage)})` } : { href: href(1), label: 'Go to the first page' };
  return errorResponse(c, 404, message, 'Past the last page', link);
}
