/**
 * Keyword queries answered by the in-process term index (terms/term-index.ts) instead of the database's
 * full-text index, under the paper filter: a short query of plain and hyphenated words (every word needed,
 * counted exactly), and a long query (any word). The filter and excluded words are applied to the index's
 * candidates; when a filter is too narrow for that, these return undefined and the database answers.
 */
import { isFiltered, mergeFilters, type PaperFilter, type TextClause } from '../filter/paper-filter.ts';
import { type FilterDb, idsPassing } from '../filter/paper-filter.repo.ts';
import type { ParsedQuery } from './query.ts';
import { agentTerms, compoundClause, indexTerms, stem } from './terms/analyze.ts';
import type { TermHit, TermIndex } from './terms/term-index.ts';
import { STOPWORDS } from './tokenize.ts';

/** A page of hits, and how many papers match in all when that is known exactly. */
export interface RankedPage {
  hits: TermHit[];
  total?: number;
}

/** Matches that are all checked against a filter before the page is cut (beyond, the top ones are sampled). */
const CHECK_ALL = 20_000;

/** Whether a clause is one plain word the term index holds as a term (no phrase, field or stopword). */
export function isPlainWord(c: TextClause): boolean {
  return !c.quoted && !c.field && c.words.length === 1 && !STOPWORDS.has(c.words[0]);
}

/**
 * A short query's clause as the term index reads it, the way the full-text indexes do: a plain word's stem,
 * or a hyphenated word's compound (joined or spelled apart, analyze.ts#compoundClause) when the store has it
 * as a compound; undefined when only the database can answer (a phrase, a field, an unknown compound).
 */
export function indexClause(index: TermIndex, c: TextClause): string | string[] | undefined {
  if (isPlainWord(c)) return stem(c.words[0]);
  if (c.quoted || c.field) return undefined;
  const spellings = compoundClause(c.words);
  return spellings && index.hasTerm(spellings[1]) ? spellings : undefined;
}

/**
 * The papers with every word of a short query of plain words, best first, exactly counted. With a filter,
 * every match is checked when there are at most CHECK_ALL of them (the count stays exact); otherwise the
 * best are sampled and the count is left to the database.
 */
export async function rankAllWords(index: TermIndex, db: FilterDb, parsed: ParsedQuery, filter: PaperFilter, limit: number, offset: number): Promise<RankedPage | undefined> {
  const terms = parsed.clauses.map((c) => indexClause(index, c));
  if (terms.some((t) => t === undefined)) return undefined;
  const exclude = parsed.excluded.filter(isPlainWord).map((c) => stem(c.words[0]));
  const otherExcluded = parsed.excluded.filter((c) => !isPlainWord(c));
  const check = otherExcluded.length ? mergeFilters(filter, { text: { clauses: [], excluded: otherExcluded, match: 'all' } }) : filter;
  const k = offset + limit;
  // "transformer" matches what the full-text indexes match (transform…), and ranks the papers that say transformer first.
  const prefer = agentTerms(parsed.clauses.filter(isPlainWord).map((c) => c.words[0]));
  if (!isFiltered(check)) {
    const { hits, total } = index.all(terms as (string | string[])[], { k, exclude, prefer });
    return { hits: hits.slice(offset), total };
  }
  const everything = index.all(terms as (string | string[])[], { k: CHECK_ALL, exclude, prefer });
  if (everything.total <= CHECK_ALL) {
    const passing = await idsPassing(db, check, everything.hits.map((h) => h.id));
    const hits = everything.hits.filter((h) => passing.has(h.id));
    return { hits: hits.slice(offset, k), total: hits.length };
  }
  // Too many matches to check each: sample the best, and leave the page to the database if few pass.
  const sample = everything.hits.slice(0, Math.max(1000, k * 10));
  const passing = await idsPassing(db, check, sample.map((h) => h.id));
  const hits = sample.filter((h) => passing.has(h.id));
  return hits.length >= k ? { hits: hits.slice(offset, k) } : undefined;
}

/**
 * A long query (a sentence, a pasted abstract) ranked by any of its words. The filter and exclusions are
 * checked on an oversampled top list; undefined when too few candidates pass.
 */
export async function rankAnyWord(index: TermIndex, db: FilterDb, parsed: ParsedQuery, filter: PaperFilter, k: number): Promise<TermHit[] | undefined> {
  const queryTerms = parsed.clauses.flatMap((c) => indexTerms(c.words.join(' ')));
  const check = parsed.excluded.length ? mergeFilters(filter, { text: { clauses: [], excluded: parsed.excluded, match: 'all' } }) : filter;
  if (!isFiltered(check)) return index.any(queryTerms, k);
  const wanted = Math.max(500, k * 10);
  const candidates = index.any(queryTerms, wanted);
  const passing = await idsPassing(db, check, candidates.map((h) => h.id));
  const hits = candidates.filter((h) => passing.has(h.id));
  return hits.length >= k || candidates.length < wanted ? hits.slice(0, k) : undefined;
}
