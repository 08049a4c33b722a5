/**
 * Drives the web app the way a browser does in tests: keeps cookies, fills in the CSRF field of forms from
 * the last page that had one, sends the Origin a browser sends with a form, follows nothing by itself.
 * The target is a real server's URL (requests over HTTP from a chosen loopback address), or a Hono app
 * (`app.request`, with a pretend peer address).
 */
import http from 'node:http';
import type { Hono } from 'hono';

/** A minimal browser: one cookie jar, a peer address, and helpers for GET and form POSTs. */
export class BrowserClient {
  private cookies = new Map<string, string>();
  private csrf: string | undefined;
  private readonly origin: string;

  /**
   * `target`: a server URL (`http://127.0.0.1:PORT`) or an app; `address`: the source address
   * (a 127/8 address for a server, any address for an app).
   */
  constructor(
    private readonly target: Hono | string,
    private readonly address = typeof target === 'string' ? '127.0.0.1' : '192.0.2.10',
  ) {
    this.origin = typeof target === 'string' ? new URL(target).origin : 'http://localhost';
  }

  /** Sends a request with the jar's cookies and remembers the cookies and CSRF field of the answer. */
  async request(url: string, init: RequestInit = {}): Promise<{ res: Response; body: string }> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = typeof this.target === 'string' ? await this.overHttp(url, { ...init, headers }) : await this.inApp(this.target, url, { ...init, headers });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const body = await res.text();
    const field = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (field) this.csrf = field;
    return { res, body };
  }

  /** Puts a cookie in the jar, as if a response had set it (a session made by a test fixture). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  /** GET a page. */
  get(url: string, headers?: Record<string, string>) {
    return this.request(url, { headers });
  }

  /**
   * POST a form as a browser would after loading a page: with the CSRF field of the last page that had a
   * form (unless `csrf: false`), and the page's Origin (a header in `opts.headers` replaces it).
   */
  async post(url: string, fields: Record<string, string>, opts: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    if (!this.csrf) await this.get('/subscribe');
    const body = new URLSearchParams(fields);
    if (opts.csrf !== false) body.set('_csrf', this.csrf!);
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: this.origin, 'Sec-Fetch-Site': 'same-origin', ...opts.headers };
    return this.request(url, { method: 'POST', body, headers });
  }

  private inApp(app: Hono, url: string, init: RequestInit): Promise<Response> {
    const env = { incoming: { socket: { remoteAddress: this.address, remotePort: 50000, remoteFamily: this.address.includes(':') ? 'IPv6' : 'IPv4' } } };
    return Promise.resolve(app.request(url, init, env));
  }

  private async overHttp(url: string, init: RequestInit & { headers: Headers }): Promise<Response> {
    const target = new URL(url, this.target as string);
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    const headers = Object.fromEntries(init.headers);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const r = http.request(
        { host: target.hostname, port: target.port, path: target.pathname + target.search, method: init.method ?? 'GET', headers, localAddress: this.address, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const out = new Headers();
            for (const [name, value] of Object.entries(res.headers)) for (const v of [value ?? []].flat()) out.append(name, v);
            resolve(new Response(res.statusCode === 204 || res.statusCode === 304 ? null : Buffer.concat(chunks), { status: res.statusCode, headers: out }));
          });
        },
      );
      r.on('error', reject);
      r.end(body);
    });
  }
}

/** The links of an HTML mail or page (href values, entities decoded). */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
}
