/**
 * Requests to a real server with node:http, for what fetch will not do: a forged Host header (DNS
 * rebinding), a chosen source address on the loopback network (127.0.0.2 is another "client"), and the
 * response's Set-Cookie lines as sent.
 */
import http from 'node:http';

/** What a raw request may set. */
export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  /** A form body (sent as application/x-www-form-urlencoded unless a Content-Type is given). */
  form?: Record<string, string>;
  body?: string;
  /** Source address, e.g. 127.0.0.2 (any 127/8 address works on Linux). */
  localAddress?: string;
}

/** A response, read whole. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  cookies: string[];
  body: string;
}

/** Sends one request and reads the whole answer. Host defaults to the URL's; a given Host is sent verbatim. */
export function rawRequest(url: string, req: RawRequest = {}): Promise<RawResponse> {
  const target = new URL(url);
  const headers: Record<string, string> = { ...req.headers };
  let body = req.body;
  if (req.form) {
    body = new URLSearchParams(req.form).toString();
    headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
  }
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method ?? 'GET', headers, localAddress: req.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, cookies: res.headers['set-cookie'] ?? [], body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

/** The `name=value` pair of a Set-Cookie line, or undefined when none sets `name`. */
export function cookiePair(cookies: string[], name: string): string | undefined {
  return cookies.map((c) => c.split(';')[0]).find((p) => p.startsWith(`${name}=`));
}

/** The value of the hidden CSRF field in a page. */
export function csrfFieldIn(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}
