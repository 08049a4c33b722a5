/**
 * Why a paper was recommended, as data (for JSON, buttons that say "don't use this paper") and in words
 * (for cards, mails and feeds). Each reason names the feature of the reader's model that contributed
 * most to the paper's score: a seed paper it is near, the terms the model weighs that it contains, a
 * followed author, category or organization, or a category the reader's papers are often in.
 */
import { stem } from '../search/terms/analyze.ts';
import { fold } from '../search/tokenize.ts';
import type { SignalKind } from './signals.ts';

/** One reason, structured. `share` is its part of the paper's positive score contributions (0–1). */
export type Reason =
  | { kind: 'similar'; paper: { id: string; title: string }; signal: SignalKind; share: number }
  | { kind: 'terms'; terms: string[]; share: number }
  | { kind: 'author'; name: string; share: number }
  | { kind: 'category'; category: string; followed: boolean; share: number }
  | { kind: 'organization'; name: string; share: number };

const SIGNAL_WORDS: Record<SignalKind, string> = {
  own: 'you wrote',
  saved: 'you saved',
  upvoted: 'you upvoted',
  collection: 'in your collection',
  library: 'in your library',
  'more-like-this': 'you asked for more of',
};

/** A term's words as stems (search's Porter stemmer): "diffusion models" and "diffusion model" are one term to a reader. */
export function termWords(term: string): string[] {
  return term.split(' ').map((w) => stem(fold(w)));
}

/** Why a paper is one of the model's seeds, in words ("you saved", "you asked for more like it"). */
export function seedKindText(kind: SignalKind): string {
  return kind === 'more-like-this' ? 'you asked for more like it' : SIGNAL_WORDS[kind];
}

const quote = (s: string) => `“${s}”`;

/** A reason in words, e.g. `like “Paper X” you saved`, `matches “diffusion”, “distillation”`. */
export function reasonText(reason: Reason): string {
  switch (reason.kind) {
    case 'similar':
      return reason.signal === 'more-like-this' ? `${SIGNAL_WORDS[reason.signal]} ${quote(reason.paper.title)}` : `like ${quote(reason.paper.title)} ${SIGNAL_WORDS[reason.signal]}`;
    case 'terms':
      return `matches ${reason.terms.map(quote).join(', ')}`;
    case 'author':
      return `by ${reason.name}, whom you follow`;
    case 'category':
      return reason.followed ? `in ${reason.category}, which you follow` : `in ${reason.category}, where much of your reading is`;
    case 'organization':
      return `from ${reason.name}, which you follow`;
  }
}

/** A paper's reasons in one line: the first two in words. */
export function reasonsText(reasons: readonly Reason[]): string {
  return reasons
    .slice(0, 2)
    .map(reasonText)
    .join('; ');
}
