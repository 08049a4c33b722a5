/**
 * One polite HTTP client per remote host for the life of a process, so every harvest of a host shares its
 * spacing: one request every ARXIV_REQUEST_INTERVAL_MS to arXiv (3 s, its terms), one a second elsewhere,
 * each with a User-Agent naming FETCH_CONTACT. A long Retry-After is handed back to the scheduler, which
 * comes back when asked instead of waiting with a lease held.
 */
import type { SourcesConfig } from '../config.ts';
import { PoliteHttpClient, userAgentWith, type PoliteHttpOptions } from '../fetch/http.ts';
import type { SourceKind } from '../db/schema.sources.ts';

/** Hosts other than arXiv set no rule; one request a second stays gentle. */
const DEFAULT_INTERVAL_MS = 1000;

/** Clients by host. */
export class ClientPool {
  private readonly clients = new Map<string, PoliteHttpClient>();

  constructor(
    private readonly config: Pick<SourcesConfig, 'arxivIntervalMs' | 'contact'>,
    /** Tests shorten the backoff and timeouts; production uses the client's defaults. */
    private readonly options: Omit<PoliteHttpOptions, 'minDelayMs' | 'userAgent'> = {},
  ) {}

  /** The client for a host, made on first use. */
  for(host: string, kind: SourceKind): PoliteHttpClient {
    let client = this.clients.get(host);
    if (!client) {
      const minDelayMs = kind === 'arxiv' ? this.config.arxivIntervalMs : DEFAULT_INTERVAL_MS;
      client = new PoliteHttpClient({ deferLongRetryAfter: true, ...this.options, minDelayMs, userAgent: userAgentWith(this.config.contact) });
      this.clients.set(host, client);
    }
    return client;
  }
}
