/** Reads a paper corpus file (any JSON Lines file `paperboy import` reads) into memory for evaluation. */
import path from 'node:path';
import { readJsonl } from '../../importers/jsonl.ts';
import type { PaperRecord } from '../../papers/paper.ts';
import type { CorpusPaper } from './eval-set.ts';

/** The 74,728-paper arXiv corpus shared with the team; PAPERBOY_CORPUS overrides it. */
export const DEFAULT_CORPUS =
  process.env.PAPERBOY_CORPUS ?? path.resolve(import.meta.dirname, '../../../../shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz');

/** Every record of the file that has an id (the corpus id is what relevance is judged on); bad lines are skipped. */
export async function readCorpus(file: string): Promise<PaperRecord[]> {
  const records: PaperRecord[] = [];
  for await (const event of readJsonl(file)) if (event.kind === 'record' && event.record.arxivId) records.push(event.record);
  return records;
}

/** The fields the evaluation set is built from. */
export function toCorpusPaper(r: PaperRecord): CorpusPaper {
  return { id: r.arxivId!, title: r.title.replace(/\s+/g, ' ').trim(), abstract: (r.abstract ?? '').replace(/\s+/g, ' ').trim(), authors: r.authors ?? [] };
}
