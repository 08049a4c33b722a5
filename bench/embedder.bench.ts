/**
 * `npm run bench:embedder`: how well the bundled static embedders retrieve, alone and fused with
 * BM25, on the arXiv corpus — and how fast they embed.
 *
 * ~1,000 held-out papers (isHeldOut: never seen by the word-vector training) are the queries, all
 * 74,728 papers the collection, ranked by cosine over every paper (no approximate index):
 * - title:    the title is the query, the paper's abstract (without its title) the one relevant document.
 * - describe: the abstract's first sentence, stripped of the title's words, is the query; the document
 *             is title + the rest of the abstract (the harness's "describe" task in src/search/eval).
 * Fusion is reciprocal-rank fusion (k = 60) of the BM25 and vector top-100 lists, vectors weighted 1 or 0.3.
 *
 * Options: --models arxiv-glove,arxiv,glove  --tasks title,describe  --corpus FILE
 */
import { parseArgs } from 'node:util';
import { l2Normalize, type Embedder } from '../src/embed/embedder.ts';
import { loadStaticEmbedder } from '../src/embed/static-embedder.ts';
import { DEFAULT_CORPUS, isHeldOut, readCorpus, type CorpusPaper } from '../src/embed/train/corpus.ts';
import { tokenize } from '../src/embed/tokenize.ts';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'arxiv-glove,arxiv,glove' },
    tasks: { type: 'string', default: 'title,describe' },
    corpus: { type: 'string', default: DEFAULT_CORPUS },
  },
});

const papers = await readCorpus(values.corpus);
const queryPapers = papers.map((p, i) => ({ i, p })).filter(({ p }) => isHeldOut(p.id));
const STOPWORDS = new Set('a an the of and or in on for to with by from as at is are be this that we our it its into via using based'.split(' '));

function firstSentence(abstract: string): string {
  return /^(.+?[.!?])\s+(?=[A-Z])/.exec(abstract)?.[1] ?? abstract;
}

/** Queries and documents of one task. */
function buildTask(task: string): { queries: string[]; targets: number[]; documents: string[] } {
  const held = new Map<number, string>();
  if (task === 'describe') {
    for (const { i, p } of queryPapers) {
      const titleWords = new Set(tokenize(p.title).flatMap((t) => [t, ...t.split('-')]));
      const kept = firstSentence(p.abstract).split(/\s+/).filter((w) => tokenize(w).every((t) => STOPWORDS.has(t) || !titleWords.has(t)));
      held.set(i, kept.join(' '));
    }
  }
  const documents = papers.map((p: CorpusPaper, i) => {
    if (task === 'title') return p.abstract;
    const rest = held.has(i) ? p.abstract.slice(firstSentence(p.abstract).length).trim() : p.abstract;
    return `${p.title}\n${rest}`;
  });
  const queries = queryPapers.map(({ i, p }) => (task === 'title' ? p.title : held.get(i)!));
  return { queries, targets: queryPapers.map((q) => q.i), documents };
}

/** Okapi BM25 (k1 1.2, b 0.75) over our tokenizer, no stemming: the keyword baseline. */
function bm25Scorer(documents: string[]): (query: string) => Float32Array {
  const n = documents.length;
  const postings = new Map<string, { doc: number[]; tf: number[] }>();
  const lengths = new Float32Array(n);
  documents.forEach((text, d) => {
    const tokens = tokenize(text);
    lengths[d] = tokens.length;
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, c] of tf) {
      let p = postings.get(t);
      if (!p) postings.set(t, (p = { doc: [], tf: [] }));
      p.doc.push(d);
      p.tf.push(c);
    }
  });
  const avg = lengths.reduce((a, b) => a + b, 0) / n;
  return (query) => {
    const scores = new Float32Array(n);
    for (const t of new Set(tokenize(query))) {
      const p = postings.get(t);
      if (!p) continue;
      const idf = Math.log(1 + (n - p.doc.length + 0.5) / (p.doc.length + 0.5));
      p.doc.forEach((d, k) => (scores[d] += (idf * p.tf[k] * 2.2) / (p.tf[k] + 1.2 * (0.25 + (0.75 * lengths[d]) / avg))));
    }
    return scores;
  };
}

function rankOf(scores: Float32Array, target: number): number {
  let rank = 1;
  for (let d = 0; d < scores.length; d++) if (scores[d] > scores[target]) rank++;
  return rank;
}

function top(scores: Float32Array, k: number): number[] {
  const threshold = Float32Array.from(scores).sort()[scores.length - k];
  const ids: number[] = [];
  for (let d = 0; d < scores.length; d++) if (scores[d] >= threshold) ids.push(d);
  return ids.sort((a, b) => scores[b] - scores[a]).slice(0, k);
}

function fusedRank(keyword: number[], vector: number[], vectorWeight: number, target: number): number {
  const fused = new Map<number, number>();
  keyword.forEach((d, i) => fused.set(d, (fused.get(d) ?? 0) + 1 / (61 + i)));
  vector.forEach((d, i) => fused.set(d, (fused.get(d) ?? 0) + vectorWeight / (61 + i)));
  const order = [...fused.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
  const r = order.indexOf(target) + 1;
  return r === 0 ? Infinity : r;
}

class Tally {
  mrr = 0;
  r10 = 0;
  add(rank: number) {
    this.mrr += 1 / rank;
    if (rank <= 10) this.r10++;
  }
  cells(n: number) {
    return [(this.mrr / n).toFixed(3), (this.r10 / n).toFixed(3)];
  }
}

/** Embeds all documents, timing it by CPU time (the machine is shared) and by wall time. */
async function embedAll(embedder: Embedder, texts: string[]) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 256) out.push(...(await embedder.embed(texts.slice(i, i + 256))));
  const used = process.cpuUsage(cpu);
  return { vectors: out, perCpuSecond: texts.length / ((used.user + used.system) / 1e6), perSecond: texts.length / ((performance.now() - wall) / 1000) };
}

console.log(`${papers.length} papers, ${queryPapers.length} held-out queries per task`);
const rows: string[] = ['| task | ranker | MRR | R@10 | RRF 1:1 MRR | R@10 | RRF 1:0.3 MRR | R@10 | abstracts/s (CPU) |', '|---|---|---:|---:|---:|---:|---:|---:|---:|'];
for (const task of values.tasks.split(',')) {
  const { queries, targets, documents } = buildTask(task);
  const bm25 = bm25Scorer(documents);
  const keywordTop: number[][] = [];
  const keyword = new Tally();
  queries.forEach((q, k) => {
    const s = bm25(q);
    keyword.add(rankOf(s, targets[k]));
    keywordTop.push(top(s, 100));
  });
  rows.push(`| ${task} | BM25 | ${keyword.cells(queries.length).join(' | ')} | – | – | – | – | – |`);
  console.log(rows.at(-1));
  for (const model of values.models.split(',')) {
    const embedder = await loadStaticEmbedder(model);
    const { vectors, perCpuSecond } = await embedAll(embedder, documents);
    const queryVectors = await embedder.embed(queries);
    const alone = new Tally();
    const fused = new Tally();
    const fusedLight = new Tally();
    const scores = new Float32Array(documents.length);
    queries.forEach((_, k) => {
      const q = l2Normalize(queryVectors[k]);
      vectors.forEach((v, d) => {
        let s = 0;
        for (let j = 0; j < v.length; j++) s += v[j] * q[j];
        scores[d] = s;
      });
      alone.add(rankOf(scores, targets[k]));
      const vectorTop = top(scores, 100);
      fused.add(fusedRank(keywordTop[k], vectorTop, 1, targets[k]));
      fusedLight.add(fusedRank(keywordTop[k], vectorTop, 0.3, targets[k]));
    });
    const n = queries.length;
    rows.push(`| ${task} | ${embedder.id} | ${[...alone.cells(n), ...fused.cells(n), ...fusedLight.cells(n)].join(' | ')} | ${Math.round(perCpuSecond)} |`);
    console.log(rows.at(-1));
  }
}
console.log(`\n${rows.join('\n')}`);
