/**
 * A small, polite HTTP client for harvesting: spaced requests per host, retries with backoff on
 * transient failures, and errors that name the URL. arXiv asks for one request every 3 seconds and
 * answers bursts with 503 + Retry-After, so both behaviours are part of being a good citizen.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** The User-Agent every request carries, so operators of the sources can tell who is calling. */
export const USER_AGENT = 'Paperboy/0.1 (+self-hosted)';

/** The User-Agent naming the operator's contact address (FETCH_CONTACT), as arXiv's terms ask; USER_AGENT without one. */
export function userAgentWith(contact: string | undefined): string {
  return contact ? `${USER_AGENT.slice(0, -1)}; mailto:${contact})` : USER_AGENT;
}

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
  /**
   * When a server asks to be left alone longer than maxRetryAfterMs, give up at once with an HttpError that
   * carries the wait (retryAfterMs) instead of asking again sooner; a scheduler then comes back when asked.
   */
  deferLongRetryAfter?: boolean;
}

/** Validators of an earlier answer, for a conditional request. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** A conditional GET's answer: the body (200) or "not modified" (304), with the validators to ask with next time. */
export interface ConditionalResult extends Validators {
  status: 200 | 304;
  body?: string;
}

/** A request that failed for good: carries the URL, the last HTTP status (if any) and the attempt count. */
export class HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number | undefined,
    readonly attempts: number,
    message: string,
    /** How long the server asked to be left alone (Retry-After), when it asked for longer than the client waits. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Fetches text over HTTP, spacing requests per host and retrying what is worth retrying. */
export class PoliteHttpClient {
  private readonly opts: Required<Omit<PoliteHttpOptions, 'deferLongRetryAfter'>> & { deferLongRetryAfter: boolean };
  /** When the latest request to each host started (ms since epoch). */
  private readonly lastStart = new Map<string, number>();
  /** The latest turn taken for each host: the next caller waits for it. */
  private readonly turns = new Map<string, Promise<void>>();

  constructor(options: PoliteHttpOptions = {}) {
    this.opts = {
      minDelayMs: 3000,
      retries: 4,
      backoffMs: 2000,
      maxRetryAfterMs: 120_000,
      timeoutMs: 60_000,
      userAgent: USER_AGENT,
      deferLongRetryAfter: false,
      ...withoutUndefined(options),
    };
  }

  /** GETs `url` and returns the body as text; throws HttpError after the last failed attempt. */
  async getText(url: string, headers: Record<string, string> = {}): Promise<string> {
    return (await this.request(url, headers, false)).body!;
  }

  /** GETs `url` unless it is unchanged since `known` (If-None-Match / If-Modified-Since); a 304 is an answer, not a failure. */
  async getConditional(url: string, known: Validators, headers: Record<string, string> = {}): Promise<ConditionalResult> {
    const conditions: Record<string, string> = {};
    if (known.etag) conditions['If-None-Match'] = known.etag;
    if (known.lastModified) conditions['If-Modified-Since'] = known.lastModified;
    const res = await this.request(url, { ...headers, ...conditions }, true);
    // A 304 may omit the validators; the ones we asked with still hold.
    const validators = withoutUndefined({ etag: res.etag ?? known.etag, lastModified: res.lastModified ?? known.lastModified });
    return res.status === 304 ? { status: 304, ...validators } : { status: 200, body: res.body, ...validators };
  }

  private async request(url: string, headers: Record<string, string>, notModifiedIsOk: boolean): Promise<{ status: number; body?: string; etag?: string; lastModified?: string }> {
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
        const validators = { etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined };
        if (res.ok) return { status: res.status, body, ...validators };
        if (res.status === 304 && notModifiedIsOk) return { status: 304, ...validators };
        lastStatus = res.status;
        lastProblem = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${snippet(body)}`;
        if (res.status !== 429 && res.status < 500) {
          throw new HttpError(url, res.status, attempt + 1, `GET ${url} failed: ${lastProblem}`);
        }
        const retryAfter = retryAfterMs(res.headers.get('retry-after'));
        if (retryAfter !== undefined && retryAfter > this.opts.maxRetryAfterMs && this.opts.deferLongRetryAfter) {
          const message = `GET ${url} failed: ${lastProblem}; the server asks to come back in ${Math.round(retryAfter / 1000)} s`;
          throw new HttpError(url, res.status, attempt + 1, message, retryAfter);
        }
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

  /**
   * Waits for the host's turn: requests to one host go one after another, each starting at least minDelayMs after
   * the previous one really started. Spacing the real starts, not reserved slots, keeps the interval when a start
   * is delayed (a busy event loop, a slow parse), which would otherwise let the next request follow too soon.
   */
  private waitForSlot(url: string): Promise<void> {
    const host = new URL(url).host;
    const turn = (this.turns.get(host) ?? Promise.resolve()).then(async () => {
      const wait = (this.lastStart.get(host) ?? -Infinity) + this.opts.minDelayMs - Date.now();
      if (wait > 0) await sleep(wait);
      this.lastStart.set(host, Date.now());
    });
    this.turns.set(host, turn);
    return turn;
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
