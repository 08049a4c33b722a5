/**
 * One paper from the arXiv search API by id (`id_list=`), for submissions: through the polite client every
 * fetch uses (spacing per host, retries, a User-Agent naming FETCH_CONTACT) and the same Atom parser the
 * harvests use, so a submitted paper is stored exactly as a harvested one would be. The base URL is
 * ARXIV_API_URL, which tests point at a local stand-in serving captured responses.
 */
import type { SourcesConfig } from '../config.ts';
import { PoliteHttpClient, userAgentWith } from '../fetch/http.ts';
import { parseArxivAtom } from '../importers/arxiv-atom.ts';
import { parseArxivId } from '../papers/normalize.ts';
import type { PaperRecord } from '../papers/paper.ts';

/** Looks a paper up on arXiv: its record, or undefined when arXiv has no such paper. Throws ArxivUnavailable. */
export type ArxivLookup = (arxivId: string) => Promise<PaperRecord | undefined>;

/** arXiv could not be asked, or did not answer with a feed: try again later. */
export class ArxivUnavailable extends Error {}

/** Where and how politely to ask. */
export interface ArxivLookupConfig {
  apiUrl: SourcesConfig['arxivApiUrl'];
  intervalMs: SourcesConfig['arxivIntervalMs'];
  contact: SourcesConfig['contact'];
}

/** The lookup of a server's settings (`config.sources`). */
export function lookupConfigOf(sources: SourcesConfig): ArxivLookupConfig {
  return { apiUrl: sources.arxivApiUrl, intervalMs: sources.arxivIntervalMs, contact: sources.contact };
}

/**
 * A lookup with its own client. A reader waits for the answer, so it retries once and gives up after
 * 20 s (tests shorten both), where a background harvest would keep trying.
 */
export function arxivLookup(config: ArxivLookupConfig, options: { retries?: number; timeoutMs?: number } = {}): ArxivLookup {
  const client = new PoliteHttpClient({
    minDelayMs: config.intervalMs,
    userAgent: userAgentWith(config.contact),
    retries: options.retries ?? 1,
    timeoutMs: options.timeoutMs ?? 20_000,
    backoffMs: 1000,
    maxRetryAfterMs: 5000,
    deferLongRetryAfter: true,
  });
  return async (arxivId) => {
    const url = `${config.apiUrl}?${new URLSearchParams({ id_list: arxivId, max_results: '1' })}`;
    let xml: string;
    try {
      xml = await client.getText(url);
    } catch (err) {
      throw new ArxivUnavailable(`arXiv did not answer for ${arxivId}: ${(err as Error).message}`);
    }
    let events;
    try {
      events = parseArxivAtom(xml, url).events;
    } catch (err) {
      throw new ArxivUnavailable(`arXiv's answer for ${arxivId} could not be read: ${(err as Error).message}`);
    }
    // Only the paper asked for: the API answers an id it does not have with an empty feed.
    for (const e of events) if (e.kind === 'record' && e.record.arxivId && parseArxivId(e.record.arxivId)?.id === arxivId) return e.record;
    return undefined;
  };
}
