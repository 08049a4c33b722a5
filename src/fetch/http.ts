/**
 * A small, polite HTTP client for harvesting: spaced requests per host, retries with backoff on
 * transient failures, and errors that name the URL. arXiv asks for one request every 3 seconds and
 * answers bursts with 503 + Retry-After, so both behaviours are part of being a good citizen.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** The User-Agent every request carries, so operators of the sources can tell who is calling. */
export const USER_AGENT = 'Paperboy/0.1 (+self-hosted)';

/** How a PoliteHttpClient paces and retries; every field has a production default. */
export interface PoliteHttpOptions {
  /** Minimum time between the starts of two requests to the same host (default 3000 ms, arXiv's rule). */
  minDelayMs?: number;
  /** Retries after the first attempt on network errors, timeouts, 429 and 5xx (default 4). */
  retries?: number;
  /** First backoff wait; doubles on each retry (default 2000 ms). */
  backoffMs?: number;
  /** Upper bound on a server's Retry-After, so a bad header cannot park a job for hours (default 120 s). */
  maxRetryAfterMs?: number;
  /** Per-attempt timeout, including reading the body (default 60 s). */
  timeoutMs?: number;
  userAgent?: string;
}

/** A request that failed for good: carries the URL, the last HTTP status (if any) and the attempt count. */
export class HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number | undefined,
    readonly attempts: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Fetches text over HTTP, spacing requests per host and retrying what is worth retrying. */
export class PoliteHttpClient {
  private readonly opts: Required<PoliteHttpOptions>;
  /** When the next request to each host may start (ms since epoch). */
  private readonly nextSlot = new Map<string, number>();

  constructor(options: PoliteHttpOptions = {}) {
    this.opts = {
      minDelayMs: 3000,
      retries: 4,
      backoffMs: 2000,
      maxRetryAfterMs: 120_000,
      timeoutMs: 60_000,
      userAgent: USER_AGENT,
      ...withoutUndefined(options),
    };
  }

  /** GETs `url` and returns the body as text; throws HttpError after the last failed attempt. */
  async getText(url: string, headers: Record<string, string> = {}): Promise<string> {
    const { retries, timeoutMs } = this.opts;
    let lastProblem = '';
    let lastStatus: number | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      await this.waitForSlot(url);
      let waitMs = this.backoff(attempt);
      try {
        const res = await fetch(url, {
          headers: { 'User-Agent': this.opts.userAgent, ...headers },
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = await res.text();
        if (res.ok) return body;
        lastStatus = res.status;
        lastProblem = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${snippet(body)}`;
        if (res.status !== 429 && res.status < 500) {
          throw new HttpError(url, res.status, attempt + 1, `GET ${url} failed: ${lastProblem}`);
        }
        const retryAfter = retryAfterMs(res.headers.get('retry-after'));
        if (retryAfter !== undefined) waitMs = Math.min(retryAfter, this.opts.maxRetryAfterMs);
      } catch (err) {
        if (err instanceof HttpError) throw err;
        lastStatus = undefined;
        lastProblem = describeNetworkError(err, timeoutMs);
      }
      if (attempt < retries) await sleep(waitMs);
    }
    throw new HttpError(url, lastStatus, retries + 1, `GET ${url} failed after ${retries + 1} attempts: ${lastProblem}`);
  }

  /** Reserves the host's next free slot and waits for it; reserving first keeps concurrent callers spaced too. */
  private async waitForSlot(url: string): Promise<void> {
    const host = new URL(url).host;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot.get(host) ?? 0);
    this.nextSlot.set(host, slot + this.opts.minDelayMs);
    if (slot > now) await sleep(slot - now);
  }

  private backoff(attempt: number): number {
    return this.opts.backoffMs * 2 ** attempt;
  }
}

/** Retry-After as milliseconds: either delay-seconds or an HTTP date (RFC 9110 allows both). */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `no response within ${timeoutMs} ms`;
  }
  // undici hides the useful part (ECONNREFUSED, ECONNRESET) in `cause`.
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err instanceof Error ? err.message : String(err)}${cause}`;
}

/** The start of an error body, since servers often explain themselves there. */
function snippet(body: string): string {
  const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text ? ` (${text.length > 160 ? `${text.slice(0, 160)}…` : text})` : '';
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
