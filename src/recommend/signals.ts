/**
 * What the recommender is told about a reader and about the papers it ranks. The shapes are plain data,
 * validated by zod at the boundary (`readerSignalsSchema`), so accounts, votes, collections and uploaded
 * libraries can all be turned into them without the recommender knowing where they came from.
 */
import { z } from 'zod';

/** Where a positive signal came from; each kind has a default weight (SIGNAL_WEIGHTS). */
export const SIGNAL_KINDS = ['own', 'saved', 'upvoted', 'collection', 'library', 'more-like-this'] as const;
/** One of SIGNAL_KINDS. */
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/**
 * How much one paper of each kind counts, before recency: the reader's own and saved papers and a
 * collection's papers fully, an upvote a little less (cheap to give), an uploaded library's entries less
 * (years of reading, not today's interests), "more like this" most (asked for just now).
 */
export const SIGNAL_WEIGHTS: Record<SignalKind, number> = { own: 1, saved: 1, collection: 1, upvoted: 0.8, library: 0.6, 'more-like-this': 1.5 };

/** The id prefix of a signal paper that is an uploaded reference kept by its text, e.g. `ref:12` (collection_references.id). */
export const REFERENCE_PREFIX = 'ref:';

/** A paper the reader gave a signal on: a store paper or an uploaded entry known only by its text. */
export interface SignalPaper {
  /** A stable key: the store paper id as text, or `ref:<id>` (REFERENCE_PREFIX) for an uploaded entry not in the store. */
  id: string;
  title: string;
  abstract: string;
  categories: readonly string[];
  /** The paper's unit vector from the configured embedder, when it has one. */
  vector?: Float32Array;
  /** When the signal was given (a vote, a save) or, for own and library papers, the paper's date: ISO day or timestamp. */
  at: string;
  kind: SignalKind;
  /** Multiplies the kind's weight (default 1). */
  weight?: number;
}

/** Everything known about one reader's taste. Empty lists are fine; a reader with nothing gets `newest`-like ranking by category follows only. */
export interface ReaderSignals {
  positives: readonly SignalPaper[];
  /** "Not interested": pushed away from, never shown again. */
  negatives: readonly SignalPaper[];
  follows: { authors: readonly string[]; categories: readonly string[]; organizations: readonly string[] };
  /** Never shown: papers by these authors or with these terms; these papers are not used as seeds. */
  mutes: { terms: readonly string[]; papers: readonly string[]; authors: readonly string[] };
}

/** A paper to rank. */
export interface CandidatePaper {
  id: string;
  title: string;
  abstract: string;
  categories: readonly string[];
  authors?: readonly string[];
  organization?: string;
  vector?: Float32Array;
  /** YYYY-MM-DD listing day. */
  day: string;
}

/** Limits that keep one reader's model small and its training fast. */
export const SIGNAL_LIMITS = { positives: 5000, negatives: 2000, follows: 500, mutes: 500, text: 20_000, name: 1000 } as const;

const text = (max: number) => z.string().max(max);
const vector = z.instanceof(Float32Array).optional();
const signalPaperSchema = z.object({
  id: z.string().min(1).max(200),
  title: text(SIGNAL_LIMITS.text),
  abstract: text(SIGNAL_LIMITS.text),
  categories: z.array(z.string().max(100)).max(50),
  vector,
  at: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'an ISO date'),
  kind: z.enum(SIGNAL_KINDS),
  weight: z.number().finite().min(0).max(100).optional(),
});
const names = z.array(text(SIGNAL_LIMITS.name)).max(SIGNAL_LIMITS.follows);

/** The schema every ReaderSignals passes before a model is trained from it. */
export const readerSignalsSchema = z.object({
  positives: z.array(signalPaperSchema).max(SIGNAL_LIMITS.positives),
  negatives: z.array(signalPaperSchema).max(SIGNAL_LIMITS.negatives),
  follows: z.object({ authors: names, categories: names, organizations: names }),
  mutes: z.object({ terms: z.array(text(200)).max(SIGNAL_LIMITS.mutes), papers: z.array(text(200)).max(SIGNAL_LIMITS.mutes), authors: names }),
});

/** Signals with nothing in them. */
export function emptySignals(): ReaderSignals {
  return { positives: [], negatives: [], follows: { authors: [], categories: [], organizations: [] }, mutes: { terms: [], papers: [], authors: [] } };
}
