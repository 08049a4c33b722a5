import { createReadStream } from 'node:fs';
import readline from 'node:readline';
import { createGunzip } from 'node:zlib';

/** The arXiv cs corpus the bundled word vectors are trained on (see /work/shared/data/arxiv_cs_daily/README.md). */
export const DEFAULT_CORPUS = '/work/shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz';

/** A paper of the training corpus. */
export interface CorpusPaper {
  id: string;
  title: string;
  abstract: string;
}

/** Reads the corpus (JSON Lines, gzipped or not: `id`, `title`, `summary` or `abstract`). */
export async function readCorpus(file = DEFAULT_CORPUS): Promise<CorpusPaper[]> {
  let input: NodeJS.ReadableStream = createReadStream(file);
  if (file.endsWith('.gz')) input = input.pipe(createGunzip());
  const papers: CorpusPaper[] = [];
  let line = 0;
  for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    const r = JSON.parse(text) as { id?: string; title?: string; summary?: string; abstract?: string };
    if (!r.id || !r.title) throw new Error(`corpus: line ${line} of ${file}: missing id or title`);
    papers.push({ id: r.id, title: r.title.replace(/\s+/g, ' ').trim(), abstract: (r.summary ?? r.abstract ?? '').replace(/\s+/g, ' ').trim() });
  }
  return papers;
}

/**
 * About 1 in 75 papers (~1,000 of 74,728), chosen by a hash of the id, are left out of training so
 * retrieval checks on them measure generalization, not memory.
 */
export function isHeldOut(id: string): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 75 === 0;
}
