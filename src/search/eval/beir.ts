/**
 * Reads a benchmark in the BEIR format (Thakur et al., 2021): `corpus.jsonl` (`_id`, `title`, `text`),
 * `queries.jsonl` (`_id`, `text`) and `qrels/<split>.tsv` (`query-id`, `corpus-id`, `score`, after a
 * header line), and turns it into paper records and labelled queries for the harness.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { PaperRecord } from '../../papers/paper.ts';
import type { LabelledQuery } from './harness.ts';

/** A BEIR document. */
export interface BeirDoc {
  id: string;
  title: string;
  text: string;
}

/** A whole BEIR benchmark in memory; `qrels` maps query id → corpus id → grade. */
export interface BeirBenchmark {
  name: string;
  split: string;
  docs: BeirDoc[];
  queries: Map<string, string>;
  qrels: Map<string, Map<string, number>>;
}

/** A problem with the benchmark's files, with the file and line it is on. */
export class BeirFormatError extends Error {}

async function* jsonLines(file: string): AsyncGenerator<{ line: number; value: Record<string, unknown> }> {
  if (!fs.existsSync(file)) throw new BeirFormatError(`beir: ${file} is missing`);
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new BeirFormatError(`beir: ${path.basename(file)} line ${n}: invalid JSON (${(err as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BeirFormatError(`beir: ${path.basename(file)} line ${n}: not a JSON object`);
    yield { line: n, value: value as Record<string, unknown> };
  }
}

function idOf(value: Record<string, unknown>, where: string): string {
  const id = value._id;
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number') return String(id);
  throw new BeirFormatError(`beir: ${where}: missing _id`);
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Parses a qrels TSV: an optional header line, then `query-id<TAB>corpus-id<TAB>score` lines. */
export function parseQrels(tsv: string, label = 'qrels'): Map<string, Map<string, number>> {
  const qrels = new Map<string, Map<string, number>>();
  tsv.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const cols = line.split('\t');
    if (cols.length < 3) throw new BeirFormatError(`beir: ${label} line ${i + 1}: expected query-id, corpus-id and score separated by tabs`);
    const score = Number(cols[2]);
    if (!Number.isFinite(score)) {
      if (i === 0) return; // the header line
      throw new BeirFormatError(`beir: ${label} line ${i + 1}: score "${cols[2]}" is not a number`);
    }
    const [queryId, corpusId] = [cols[0].trim(), cols[1].trim()];
    let judged = qrels.get(queryId);
    if (!judged) qrels.set(queryId, (judged = new Map()));
    judged.set(corpusId, score);
  });
  return qrels;
}

/** Loads the benchmark in `dir`; throws BeirFormatError naming the file and line of any problem. */
export async function loadBeir(dir: string, split = 'test'): Promise<BeirBenchmark> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new BeirFormatError(`beir: ${dir} is not a directory`);
  const qrelsFile = path.join(dir, 'qrels', `${split}.tsv`);
  if (!fs.existsSync(qrelsFile)) throw new BeirFormatError(`beir: ${qrelsFile} is missing`);
  const docs: BeirDoc[] = [];
  const seen = new Set<string>();
  for await (const { line, value } of jsonLines(path.join(dir, 'corpus.jsonl'))) {
    const id = idOf(value, `corpus.jsonl line ${line}`);
    if (seen.has(id)) throw new BeirFormatError(`beir: corpus.jsonl line ${line}: _id "${id}" appears twice`);
    seen.add(id);
    docs.push({ id, title: textOf(value.title).trim(), text: textOf(value.text).trim() });
  }
  const queries = new Map<string, string>();
  for await (const { line, value } of jsonLines(path.join(dir, 'queries.jsonl'))) {
    queries.set(idOf(value, `queries.jsonl line ${line}`), textOf(value.text).trim());
  }
  const qrels = parseQrels(fs.readFileSync(qrelsFile, 'utf8'), `qrels/${split}.tsv`);
  for (const queryId of qrels.keys()) {
    if (!queries.has(queryId)) throw new BeirFormatError(`beir: qrels/${split}.tsv judges query "${queryId}", which queries.jsonl does not have`);
  }
  return { name: path.basename(path.resolve(dir)), split, docs, queries, qrels };
}

/**
 * A stand-in arXiv id for the document at `index`: store records are matched by arXiv id first and a
 * title never joins two different ids, so BEIR documents with equal (or empty) titles stay apart.
 */
export function syntheticArxivId(index: number): string {
  return `${String(Math.floor(index / 100000)).padStart(4, '0')}.${String(index % 100000).padStart(5, '0')}`;
}

/** The inverse of syntheticArxivId. */
export function indexOfSyntheticArxivId(arxivId: string): number {
  const [month, number] = arxivId.split('.');
  return Number(month) * 100000 + Number(number);
}

/** A title-less document gets a neutral placeholder: the store needs a title, and an id or text would add words. */
export const UNTITLED = 'untitled';

/** The documents as paper records (abstract = text), in corpus order. */
export function beirRecords(bench: BeirBenchmark): PaperRecord[] {
  return bench.docs.map((d, i) => ({ source: 'jsonl', arxivId: syntheticArxivId(i), title: d.title || UNTITLED, abstract: d.text || undefined }));
}

/** The judged queries with at least one relevant document, as harness queries grouped under the benchmark's name. */
export function beirQueries(bench: BeirBenchmark): LabelledQuery[] {
  return [...bench.qrels].flatMap(([id, relevant]) => {
    const text = bench.queries.get(id) ?? '';
    return [...relevant.values()].some((g) => g > 0) && text ? [{ id, group: bench.name, text, relevant }] : [];
  });
}
