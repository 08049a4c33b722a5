import { l2Normalize, type Embedder } from './embedder.ts';
import { tokenize } from './tokenize.ts';

/**
 * A deterministic bag-of-words embedder (feature hashing): no files, instant, for tests of code that
 * needs *an* embedder. Texts sharing words get similar vectors; it is not meant for real search.
 */
export function createHashingEmbedder(dimensions = 64, id = `hashing:${dimensions}`): Embedder {
  return {
    id,
    dimensions,
    async embed(texts) {
      return texts.map((text) => {
        const v = new Float32Array(dimensions);
        for (const token of tokenize(text)) {
          const h = fnv1a(token);
          v[h % dimensions] += h & 0x80000000 ? -1 : 1;
        }
        return l2Normalize(v);
      });
    },
  };
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
