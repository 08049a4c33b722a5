/**
 * Spelling against the store's own vocabulary (the term index's surface words and how many papers have
 * each): a run-together word the store writes apart is searched both ways (`selfsupervised` also finds
 * "self supervised"), and a word no paper has gets the most frequent word one edit away as a suggestion
 * ("Did you mean *transformer*?"), which search applies when the query as written finds nothing.
 */
import { MAX_AND_CLAUSES } from './keyword-index.ts';
import type { ParsedQuery, QueryClause } from './query.ts';
import { stem } from './terms/analyze.ts';
import type { TermIndex } from './terms/term-index.ts';
import { STOPWORDS } from './tokenize.ts';

/** How a query reads against the vocabulary: splits applied, and a corrected query when a word is unknown. */
export interface Respelling {
  parsed: ParsedQuery;
  /** The query with each unknown word replaced by its correction, as the reader would type it. */
  suggestion?: string;
}

/** A word the store has fewer papers with than this, and no compound either, gets a correction. */
const RARE = 2;
/** A joined word is split when both parts are this many times more frequent than it (`database` stays whole). */
const SPLIT_RATIO = 10;

/**
 * Looks each plain word of a short query up in the store's vocabulary (see the module comment). A long
 * query (a sentence, an abstract) is ranked by any of its words, so one odd word costs it nothing and is
 * left as written.
 */
export function respell(query: string, parsed: ParsedQuery, index: TermIndex): Respelling {
  if (parsed.clauses.length > MAX_AND_CLAUSES) return { parsed };
  let suggestion = query;
  let corrected = false;
  const clauses = parsed.clauses.map((c): QueryClause => {
    const word = c.words.length === 1 && !c.quoted && !c.field ? c.words[0] : undefined;
    if (!word || STOPWORDS.has(word) || /\d/.test(word)) return c;
    const frequency = index.wordFrequency(word);
    // Written joined where the store mostly writes two words: search the phrase and the joined spelling (the
    // clause's alternate spellings, see fulltext.ts), which also finds the hyphenated form.
    const parts = index.split(word);
    if (parts && frequency * SPLIT_RATIO < Math.min(index.wordFrequency(parts[0]), index.wordFrequency(parts[1]))) return { ...c, words: parts };
    if (frequency >= RARE || index.documentFrequency(stem(word)) > 0) return c; // a word the store has, or a compound's
    const correction = index.correction(word);
    if (correction) {
      suggestion = replaceWord(suggestion, c.raw, correction.word);
      corrected = true;
    }
    return c;
  });
  return { parsed: { ...parsed, clauses }, ...(corrected ? { suggestion } : {}) };
}

/** The query with the first occurrence of a word as typed (any case) replaced. */
function replaceWord(query: string, typed: string, by: string): string {
  const escaped = typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return query.replace(new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}(?=$|[^\\p{L}\\p{N}])`, 'iu'), (_, before: string) => before + by);
}
