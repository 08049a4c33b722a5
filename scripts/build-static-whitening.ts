// Learns the whitening of a bundled static model from the arXiv corpus (run after
// train-arxiv-vectors.ts and build-glove-vectors.ts): embeds the training papers without whitening,
// then stores mean and principal-axis scaling next to the vectors.
//   node --import tsx scripts/build-static-whitening.ts [--model arxiv-glove] [--corpus FILE] [--sample 40000]
import { parseArgs } from 'node:util';
import { paperText } from '../src/embed/embed.service.ts';
import { createStaticEmbedder, STATIC_MODELS } from '../src/embed/static-embedder.ts';
import { DEFAULT_CORPUS, isHeldOut, readCorpus } from '../src/embed/train/corpus.ts';
import { learnWhitening, writeWhitening } from '../src/embed/whitening.ts';

const { values: opts } = parseArgs({
  options: {
    model: { type: 'string', default: 'arxiv-glove' },
    corpus: { type: 'string', default: DEFAULT_CORPUS },
    sample: { type: 'string', default: '40000' },
  },
});
const preset = STATIC_MODELS[opts.model];
if (!preset?.whiteningFile) throw new Error(`no static model ${opts.model} with a whitening file`);
const papers = (await readCorpus(opts.corpus)).filter((p) => !isHeldOut(p.id));
// An even spread over the corpus (it is ordered by listing day).
const step = Math.max(1, papers.length / Number(opts.sample));
const sample = Array.from({ length: Math.min(papers.length, Number(opts.sample)) }, (_, i) => papers[Math.floor(i * step)]);
const embedder = createStaticEmbedder({ ...preset.build(), id: `${preset.id}-unwhitened` });
const vectors = await embedder.embed(sample.map(paperText));
const flat = new Float32Array(vectors.length * embedder.dimensions);
vectors.forEach((v, i) => flat.set(v, i * embedder.dimensions));
const whitening = learnWhitening(flat, embedder.dimensions);
const bytes = writeWhitening(preset.whiteningFile, whitening, { model: preset.id, source: `${sample.length} arXiv cs papers (title + abstract)` });
console.log(`${preset.whiteningFile}: ${embedder.dimensions} dimensions from ${sample.length} papers, ${(bytes / 1e6).toFixed(2)} MB`);
