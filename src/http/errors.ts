/** Error responses in the shape the client asked for: JSON under /api, an HTML page elsewhere. */
import type { Context } from 'hono';
import { errorPage, type ErrorInfo } from './pages/error.tsx';

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
export function errorResponse(c: Context, status: ErrorInfo['status'], message?: string): Response | Promise<Response> {
  const info = { status, ...MESSAGES[status], ...(message ? { message } : {}) };
  if (isApi(c)) return c.json({ error: { status, title: info.title, message: info.message } }, status);
  return c.html(errorPage(info), status);
}
