/**
 * Papers fetched from arXiv's API by id (`id_list`): what an import into a collection does for references
 * the store does not have, and what a submission by arXiv id needs. Ids go up to `batchSize` a request, so a
 * file with 40 unknown preprints costs arXiv one request, not 40 (each spaced 3 s by the polite client).
 */
import { parseArxivAtom } from '../importers/arxiv-atom.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { parseArxivId } from '../papers/normalize.ts';
import { ARXIV_API_URL } from './arxiv.ts';
import type { PoliteHttpClient } from './http.ts';

/** Options of fetchArxivPapers. */
export interface FetchByIdOptions {
  /** ARXIV_API_URL (config.sources.arxivApiUrl). */
  baseUrl?: string;
  client: PoliteHttpClient;
  /** Ids per request (arXiv answers up to 2,000; a smaller request fails less and is retried cheaper). */
  batchSize?: number;
}

/** The records arXiv returned, and the ids (without version, as asked) it has no paper for. */
export interface FetchedById {
  records: PaperRecord[];
  missing: string[];
}

/** Fetches papers by arXiv id (any spelling; versions dropped, each id once). Throws an HttpError when arXiv cannot be reached. */
export async function fetchArxivPapers(ids: string[], options: FetchByIdOptions): Promise<FetchedById> {
  const wanted = [...new Set(ids.flatMap((raw) => parseArxivId(raw)?.id ?? []))];
  const base = options.baseUrl ?? ARXIV_API_URL;
  const size = options.batchSize ?? 50;
  const records: PaperRecord[] = [];
  const found = new Set<string>();
  for (let i = 0; i < wanted.length; i += size) {
    const batch = wanted.slice(i, i + size);
    const url = `${base}?${new URLSearchParams({ id_list: batch.join(','), max_results: String(batch.length) })}`;
    for (const event of parseArxivAtom(await options.client.getText(url), url).events) {
      if (event.kind !== 'record' || !event.record.arxivId) continue;
      const id = parseArxivId(event.record.arxivId)?.id;
      if (!id || !batch.includes(id) || found.has(id)) continue;
      found.add(id);
      records.push(event.record);
    }
  }
  return { records, missing: wanted.filter((id) => !found.has(id)) };
}
