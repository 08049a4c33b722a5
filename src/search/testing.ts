/**
 * Test helpers for search: a small corpus that exercises the query syntax, and a tiny deterministic
 * embedder (hashed bag of words) so vector and hybrid tests run without model files.
 */
import type { Db } from '../db/database.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { findPaperId } from '../papers/papers.repo.ts';
import { addRecords } from '../papers/papers.service.ts';
import type { QueryEmbedder } from './search.service.ts';
import { STOPWORDS, lightStem, words } from './tokenize.ts';

const paper = (arxivId: string, title: string, abstract: string, extra: Partial<PaperRecord>): PaperRecord => ({
  source: 'arxiv-atom',
  arxivId,
  title,
  abstract,
  authors: ['Some Author'],
  categories: ['cs.LG'],
  ...extra,
});

/** Eight papers; keys are the names tests use. */
export const SEARCH_CORPUS = {
  ssl: paper('2503.00001', 'Self-Supervised Learning of Visual Features', 'We study self-supervised pretraining of image encoders without labels.', {
    authors: ['Yann LeCun', 'Ishan Misra'], categories: ['cs.CV', 'cs.LG'], announcedOn: '2025-03-01', organization: { name: 'Meta AI', slug: 'meta' },
  }),
  speech: paper('2507.00002', 'Self supervised speech representations', 'Self supervised objectives learn speech units from raw audio.', {
    authors: ['Alexei Baevski'], categories: ['cs.CL', 'eess.AS'], announcedOn: '2025-07-10', organization: { name: 'Meta AI', slug: 'meta' },
  }),
  gpt4: paper('2601.00003', 'GPT-4 Technical Report', 'We report the development of GPT-4, a large multimodal model accepting image and text inputs.', {
    authors: ['Open Team'], categories: ['cs.CL'], announcedOn: '2026-01-05', organization: { name: 'OpenAI', slug: 'openai' },
  }),
  vit: paper('2511.00004', 'Scaling vision transformers, revisited', 'We train ViT-B/16 models for image classification at scale.', {
    authors: ['Lucas Beyer'], categories: ['cs.CV'], announcedOn: '2025-11-20',
  }),
  bayes: paper('2602.00005', 'Naïve Bayes for café reviews', 'A naïve classifier inspired by Schrödinger reads restaurant reviews.', {
    authors: ['José García'], categories: ['cs.IR'], announcedOn: '2026-02-01',
  }),
  diffusion: paper('2505.00006', 'Diffusion models beat GANs on image synthesis', 'Denoising diffusion probabilistic models outperform generative adversarial networks for image synthesis.', {
    authors: ['Prafulla Dhariwal', 'Alex Nichol'], categories: ['cs.CV', 'cs.LG'], announcedOn: '2025-05-05', organization: { name: 'OpenAI', slug: 'openai' },
  }),
  survey: paper('2506.00007', 'A survey of diffusion models', 'This survey reviews diffusion models and their applications.', {
    authors: ['Jane Doe'], categories: ['cs.LG'], announcedOn: '2025-06-01',
  }),
  attention: paper('2501.00008', 'Attention is all you need', 'A transformer based solely on attention mechanisms, dispensing with recurrence.', {
    authors: ['Ashish Vaswani'], categories: ['cs.CL'], announcedOn: '2025-01-02',
  }),
} satisfies Record<string, PaperRecord>;

/** Which test paper a name stands for. */
export type CorpusKey = keyof typeof SEARCH_CORPUS;

/** Loads the corpus and returns paper ids by name (and names by id). */
export async function loadSearchCorpus(db: Db) {
  await addRecords(db, Object.values(SEARCH_CORPUS));
  const ids = {} as Record<CorpusKey, number>;
  for (const [key, record] of Object.entries(SEARCH_CORPUS)) ids[key as CorpusKey] = (await findPaperId(db.kysely, { arxivId: record.arxivId }))!;
  const names = new Map(Object.entries(ids).map(([k, v]) => [v, k as CorpusKey]));
  return { ids, nameOf: (id: number) => names.get(id) ?? `#${id}` };
}

/** FNV-1a: a stable 32-bit hash of a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A real if weak embedder: each content word (lightly stemmed) adds ±1 to one of `dimensions` hashed
 * buckets, then the vector is scaled to unit length. Texts sharing words point the same way.
 */
export function hashingEmbedder(dimensions = 64, id = `test-hash:${dimensions}`): QueryEmbedder {
  return {
    id,
    dimensions,
    async embed(texts) {
      return texts.map((text) => {
        const v = new Float32Array(dimensions);
        for (const w of words(text)) {
          if (STOPWORDS.has(w)) continue;
          const h = hash(lightStem(w));
          v[h % dimensions] += h & 0x80000000 ? -1 : 1;
        }
        let norm = 0;
        for (const x of v) norm += x * x;
        if (norm > 0) for (let i = 0; i < dimensions; i++) v[i] /= Math.sqrt(norm);
        return v;
      });
    },
  };
}
