/**
 * A reader model as JSON and back, for the reader_models table: typed arrays as plain number arrays
 * (vectors rounded to 5 decimals, which ranking cannot tell apart), maps as entry lists. The parse
 * side is a zod schema with limits, since the row is read back from a shared database.
 */
import { z } from 'zod';
import type { ModelSeed, ReaderModel } from './model.ts';
import { SIGNAL_KINDS } from './signals.ts';

const round = (v: ArrayLike<number>) => Array.from(v, (x) => Math.round(x * 1e5) / 1e5);
const seedJson = (s: ModelSeed) => ({ id: s.id, title: s.title, kind: s.kind, weight: s.weight, ti: Array.from(s.terms.indices), tv: round(s.terms.values), v: s.vector ? round(s.vector) : undefined });

/** The model as a JSON string. */
export function modelToJson(m: ReaderModel): string {
  return JSON.stringify({
    version: m.version,
    vocabularyId: m.vocabularyId,
    embedder: m.embedder,
    trainedAt: m.trainedAt,
    ti: Array.from(m.terms.indices),
    tw: round(m.terms.weights),
    bias: m.bias,
    seeds: m.seeds.map(seedJson),
    antiSeeds: m.antiSeeds.map(seedJson),
    profile: round(m.profile),
    categories: [...m.categories],
    follows: m.follows,
    mutes: m.mutes,
    counts: m.counts,
  });
}

const nums = (max: number) => z.array(z.number()).max(max);
const strs = z.array(z.string().max(1000)).max(2000);
const seed = z.object({ id: z.string().max(200), title: z.string().max(20_000), kind: z.enum(SIGNAL_KINDS), weight: z.number(), ti: nums(1000), tv: nums(1000), v: nums(4096).optional() });
const schema = z.object({
  version: z.literal(1),
  vocabularyId: z.string().max(100),
  embedder: z.string().max(200).nullable(),
  trainedAt: z.string().max(40),
  ti: nums(50_000),
  tw: nums(50_000),
  bias: z.number(),
  seeds: z.array(seed).max(500),
  antiSeeds: z.array(seed).max(500),
  profile: nums(4096),
  categories: z.array(z.tuple([z.string().max(100), z.number()])).max(1000),
  follows: z.object({ authors: strs, categories: strs, organizations: strs }),
  mutes: z.object({ terms: strs, papers: strs, authors: strs }),
  counts: z.object({ positives: z.number(), negatives: z.number() }),
});

const seedOf = (s: z.infer<typeof seed>): ModelSeed => ({
  id: s.id,
  title: s.title,
  kind: s.kind,
  weight: s.weight,
  terms: { indices: Int32Array.from(s.ti), values: Float32Array.from(s.tv) },
  vector: s.v ? Float32Array.from(s.v) : undefined,
});

/** Parses a stored model; undefined when it is not one (an old format: retrain). */
export function modelFromJson(text: string): ReaderModel | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return undefined;
  const j = parsed.data;
  return {
    version: 1,
    vocabularyId: j.vocabularyId,
    embedder: j.embedder,
    trainedAt: j.trainedAt,
    terms: { indices: Int32Array.from(j.ti), weights: Float32Array.from(j.tw) },
    bias: j.bias,
    seeds: j.seeds.map(seedOf),
    antiSeeds: j.antiSeeds.map(seedOf),
    profile: Float32Array.from(j.profile),
    categories: new Map(j.categories),
    follows: j.follows,
    mutes: j.mutes,
    counts: j.counts,
  };
}
