/**
 * Live harvesting of new arXiv papers in one category, through OAI-PMH (complete, by datestamp)
 * or the search API (quicker for a small window). Both yield one batch of ParseEvents per page.
 */
import type { ParseEvent } from '../importers/types.ts';
import { isDay } from '../listings/period.ts';
import { PoliteHttpClient } from './http.ts';
import { parseInThread, type PageParser } from './page-parser.ts';

/** arXiv's OAI-PMH endpoint; a parameter so tests and mirrors can point elsewhere. */
export const ARXIV_OAI_URL = 'https://export.arxiv.org/oai2';
/** arXiv's search API endpoint. */
export const ARXIV_API_URL = 'https://export.arxiv.org/api/query';

/** What one fetched page held, for progress output. */
export interface ArxivPageInfo {
  url: string;
  page: number;
  /** Records kept from this page (after the category and date filters). */
  records: number;
  skipped: number;
  /** Size of the whole result, when the source says. */
  total?: number;
  /** OAI-PMH: the token that asks for the page after this one (undefined on the last page). */
  resumptionToken?: string;
}

/** Options for fetchArxiv; `since`/`until` are inclusive YYYY-MM-DD days. */
export interface FetchArxivOptions {
  category: string;
  since: string;
  until?: string;
  via: 'oai' | 'api';
  baseUrl?: string;
  /** Minimum spacing between requests; arXiv asks for 3000 ms. */
  delayMs?: number;
  /** Results per API page (default 200; arXiv allows up to 2000). Ignored for OAI, whose server decides. */
  pageSize?: number;
  onPage?: (info: ArxivPageInfo) => void;
  /** A shared client, so several harvests share the per-host spacing; built from delayMs if absent. */
  client?: PoliteHttpClient;
  /**
   * OAI-PMH metadata format. `arXivRaw` (the default) numbers every version with its date, which is how a
   * new version or a withdrawal is recognised; `arXiv` has structured author names but no version numbers.
   */
  metadataPrefix?: 'arXivRaw' | 'arXiv';
  /** OAI-PMH: continue an interrupted harvest from this token instead of starting at `since`. */
  resumptionToken?: string;
  /** Where pages are parsed (default: this thread; the server passes a worker thread's parser). */
  parse?: PageParser;
}

/** The archives OAI-PMH files under the `physics` set; most are also categories without a subject class (hep-th). */
export const PHYSICS_ARCHIVES: ReadonlySet<string> = new Set([
  'astro-ph', 'cond-mat', 'gr-qc', 'hep-ex', 'hep-lat', 'hep-ph', 'hep-th',
  'math-ph', 'nlin', 'nucl-ex', 'nucl-th', 'physics', 'quant-ph',
]);

/** The OAI set holding a category: cs.LG -> cs, math.CA -> math, hep-th -> physics:hep-th. */
export function oaiSetFor(category: string): string {
  const archive = category.split('.')[0];
  return PHYSICS_ARCHIVES.has(archive) ? `physics:${archive}` : archive;
}

/** Whether a record's categories include `category`; a bare archive (`cs`) matches all of its categories. */
export function inCategory(categories: string[] | undefined, category: string): boolean {
  return (categories ?? []).some((c) => c === category || (!category.includes('.') && c.startsWith(`${category}.`)));
}

/** Harvests `category` from `since` (and up to `until`), one batch of events per fetched page. */
export async function* fetchArxiv(options: FetchArxivOptions): AsyncGenerator<ParseEvent[]> {
  for (const [name, day] of [['since', options.since], ['until', options.until]] as const) {
    if (day !== undefined && !isDay(day)) {
      throw new Error(`fetchArxiv: ${name} must be a real day YYYY-MM-DD, got ${JSON.stringify(day)}`);
    }
  }
  const client = options.client ?? new PoliteHttpClient({ minDelayMs: options.delayMs });
  if (options.via === 'oai') yield* viaOai(options, client);
  else yield* viaApi(options, client);
}

async function* viaOai(options: FetchArxivOptions, client: PoliteHttpClient): AsyncGenerator<ParseEvent[]> {
  const base = options.baseUrl ?? ARXIV_OAI_URL;
  const first = new URLSearchParams({ verb: 'ListRecords', metadataPrefix: options.metadataPrefix ?? 'arXivRaw', set: oaiSetFor(options.category), from: options.since });
  if (options.until) first.set('until', options.until);
  // OAI-PMH forbids repeating the other arguments alongside a resumptionToken.
  const continued = (token: string) => `${base}?${new URLSearchParams({ verb: 'ListRecords', resumptionToken: token })}`;
  let url = options.resumptionToken ? continued(options.resumptionToken) : `${base}?${first}`;
  for (let page = 1; ; page++) {
    const parsed = await (options.parse ?? parseInThread)('oai-pmh', await client.getText(url), url);
    // The set is the whole archive; the category is narrower. Deleted-record skips are kept.
    const batch = parsed.events.filter((e) => e.kind === 'skip' || inCategory(e.record.categories, options.category));
    report(options, url, page, batch, parsed.completeListSize, parsed.resumptionToken);
    yield batch;
    if (!parsed.resumptionToken) return;
    url = continued(parsed.resumptionToken);
  }
}

async function* viaApi(options: FetchArxivOptions, client: PoliteHttpClient): AsyncGenerator<ParseEvent[]> {
  const base = options.baseUrl ?? ARXIV_API_URL;
  const pageSize = options.pageSize ?? 200;
  for (let page = 1, start = 0; ; page++) {
    const query = new URLSearchParams({
      search_query: `cat:${options.category}`,
      sortBy: 'submittedDate',
      sortOrder: 'descending',
      start: String(start),
      max_results: String(pageSize),
    });
    const url = `${base}?${query}`;
    const parsed = await (options.parse ?? parseInThread)('arxiv-atom', await client.getText(url), url);
    // Newest first: once a paper predates `since`, every later page does too.
    let reachedSince = false;
    const batch = parsed.events.filter((e) => {
      if (e.kind === 'skip') return true;
      const day = e.record.announcedOn;
      if (!day) return true;
      if (day < options.since) reachedSince = true;
      return day >= options.since && (!options.until || day <= options.until);
    });
    report(options, url, page, batch, parsed.totalResults);
    yield batch;
    start += parsed.events.length;
    const exhausted = parsed.events.length === 0 || (parsed.totalResults !== undefined && start >= parsed.totalResults);
    if (reachedSince || exhausted) return;
  }
}

function report(options: FetchArxivOptions, url: string, page: number, batch: ParseEvent[], total?: number, resumptionToken?: string): void {
  const records = batch.filter((e) => e.kind === 'record').length;
  options.onPage?.({ url, page, records, skipped: batch.length - records, total, resumptionToken });
}
