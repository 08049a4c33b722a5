/**
 * Builds the bundled demo corpus, src/demo/demo-corpus.jsonl.gz (described in src/demo/README.md):
 * - every paper of the five saved Hugging Face Papers pages, with the dates, author counts and upvotes
 *   the pages give (and none where they give none);
 * - for the seeds that also appear in the arXiv cs daily corpus, that corpus's record (arXiv id, authors,
 *   categories), which the importer merges into the same paper;
 * - the corpus's last weeks of listings (`SLICE_SINCE` on), so that the newest days show full lists and
 *   search has something to find on a first start.
 *
 *   npm run build:demo -- [SEEDS_DIR] [ARXIV_JSONL_GZ]
 *
 * The output is deterministic (stable order, gzip without a timestamp), so re-running it on the same
 * inputs changes no bytes and the file only shows up in a diff when the seeds do.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip, gzipSync } from 'node:zlib';
import { parseHfPage } from '../src/importers/hf-page.ts';
import { cleanText, normalizeTitle } from '../src/papers/normalize.ts';
import type { PaperRecord } from '../src/papers/paper.ts';

const SEEDS_DIR = process.argv[2] ?? '/work/shared/seeds';
const ARXIV_CORPUS = process.argv[3] ?? '/work/shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz';
const OUTPUT = fileURLToPath(new URL('../src/demo/demo-corpus.jsonl.gz', import.meta.url));
/**
 * The first listing day of the recent slice: the corpus's last 12 listing days (2026-06-15 to 2026-07-01,
 * three ISO weeks), 3,467 papers, about 2 MB compressed — full days, weeks and a month on a first start,
 * loaded in a few seconds.
 */
const SLICE_SINCE = '2026-06-15';

/**
 * The daily-layout pages print dates of their own year without the year. They were saved on
 * "Feb 18" (003) and "May 12" (004), and the newest full date on 003 is "Nov 25, 2025", so both
 * pages are from a later year: 2026. (The search layout has no dates, so the year does not matter there.)
 */
const PAGE_YEAR = 2026;

/** One line of the arXiv cs daily corpus (see its README). */
interface ArxivCorpusLine {
  id: string;
  title: string;
  summary: string;
  authors: string[];
  categories: string[];
  comment: string | null;
  first_seen: string;
}

/** Parses every seed page in name order; any skipped block is a seed problem worth stopping for. */
function readSeeds(dir: string): PaperRecord[] {
  const records: PaperRecord[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    for (const event of parseHfPage(fs.readFileSync(path.join(dir, name), 'utf8'), name, { year: PAGE_YEAR })) {
      if (event.kind === 'skip') throw new Error(`build-demo-corpus: ${event.location}: ${event.reason}`);
      records.push(event.record);
    }
  }
  return records;
}

/**
 * Streams the arXiv corpus once: the first record for each wanted normalized title, and every record listed
 * on or after `since`, in corpus order (by listing day, as the corpus was crawled).
 */
async function readArxivCorpus(file: string, wanted: Set<string>, since: string): Promise<{ byTitle: Map<string, PaperRecord>; recent: PaperRecord[] }> {
  const found = new Map<string, PaperRecord>();
  const recent: PaperRecord[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (!line.trim()) continue;
    let paper: ArxivCorpusLine;
    try {
      paper = JSON.parse(line) as ArxivCorpusLine;
    } catch (err) {
      throw new Error(`build-demo-corpus: line ${lineNo} of ${file}: ${(err as Error).message}`);
    }
    const key = normalizeTitle(paper.title);
    if (wanted.has(key) && !found.has(key)) found.set(key, fromArxivCorpus(paper));
    if (paper.first_seen >= since) recent.push(fromArxivCorpus(paper));
  }
  return { byTitle: found, recent };
}

/** The corpus line as our record; field names follow the jsonl importer's ARXIV_CORPUS_MAPPING. */
function fromArxivCorpus(paper: ArxivCorpusLine): PaperRecord {
  const record: PaperRecord = {
    source: 'arxiv-jsonl',
    arxivId: paper.id,
    title: cleanText(paper.title),
    abstract: cleanText(paper.summary),
    authors: paper.authors,
    categories: paper.categories,
    announcedOn: paper.first_seen,
  };
  if (paper.comment) record.comment = cleanText(paper.comment);
  return record;
}

async function main(): Promise<void> {
  const seeds = readSeeds(SEEDS_DIR);
  const titles = new Set(seeds.map((r) => normalizeTitle(r.title)));
  const { byTitle: arxiv, recent } = await readArxivCorpus(ARXIV_CORPUS, titles, SLICE_SINCE);

  // Each arXiv record follows the first seed record of its paper, so the order is the seeds' order.
  const out: string[] = [];
  const emitted = new Set<string>();
  for (const record of seeds) {
    out.push(JSON.stringify(record));
    const key = normalizeTitle(record.title);
    const match = arxiv.get(key);
    if (match && !emitted.has(key)) {
      out.push(JSON.stringify(match));
      emitted.add(key);
    }
  }
  // Then the recent slice, minus the records already placed after their seed.
  const placed = new Set([...arxiv.values()].map((r) => r.arxivId));
  const slice = recent.filter((r) => !placed.has(r.arxivId));
  for (const record of slice) out.push(JSON.stringify(record));
  // zlib writes a zero mtime in the gzip header, so equal input gives equal bytes.
  fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
  fs.writeFileSync(OUTPUT, gzipSync(`${out.join('\n')}\n`, { level: 9 }));
  console.log(
    `${path.relative(process.cwd(), OUTPUT)}: ${out.length} records — ${seeds.length} hf-page papers, ` +
      `${titles.size} distinct titles, ${arxiv.size} enriched with an arxiv-jsonl record, ${slice.length} more listed from ${SLICE_SINCE}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
