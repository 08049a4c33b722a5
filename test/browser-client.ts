/** Drives a Hono app the way a browser does in tests: keeps cookies, fills in the CSRF field of forms, follows nothing by itself. */
import type { Hono } from 'hono';

/** A minimal browser: one cookie jar, a peer address, and helpers for GET and form POSTs. */
export class BrowserClient {
  private cookies = new Map<string, string>();

  constructor(
    private readonly app: Hono,
    private readonly remoteAddress = '192.0.2.10',
  ) {}

  /** Sends a request with the jar's cookies and remembers the ones set in the answer. */
  async request(url: string, init: RequestInit = {}): Promise<{ res: Response; body: string }> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const env = { incoming: { socket: { remoteAddress: this.remoteAddress, remotePort: 50000, remoteFamily: this.remoteAddress.includes(':') ? 'IPv6' : 'IPv4' } } };
    const res = await this.app.request(url, { ...init, headers }, env);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { res, body: await res.text() };
  }

  /** GET a page. */
  get(url: string, headers?: Record<string, string>) {
    return this.request(url, { headers });
  }

  /** POST a form as a browser would after loading a page: with the CSRF token from the cookie (unless `csrf: false`). */
  async post(url: string, fields: Record<string, string>, opts: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    if (!this.cookies.has('paperboy_csrf')) await this.get('/subscribe');
    const body = new URLSearchParams(fields);
    if (opts.csrf !== false) body.set('_csrf', this.cookies.get('paperboy_csrf')!);
    return this.request(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...opts.headers } });
  }
}

/** The links of an HTML mail or page (href values, entities decoded). */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
}
