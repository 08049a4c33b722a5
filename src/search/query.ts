/**
 * The search query language, parsed without touching a database:
 *
 *   diffusion transformer          plain words (short queries need all of them, long ones rank by any)
 *   "masked autoencoder"           an exact phrase
 *   -survey  -"position paper"     words or phrases a result must not contain
 *   self-supervised  GPT-4         hyphenated or slashed terms: the parts as a phrase, or run together
 *   author:lecun  author:"Yann LeCun"   cat:cs.LG  cat:cs  org:meta   (prefix any with - to exclude)
 *   title:diffusion  abstract:"image synthesis"   words or a phrase in that field only
 *   year:2025  since:2025-06  until:2026-01-15
 * A `word:` that is none of these operators is searched as text, with a warning (`venue:neurips`),
 * except spellings that are text anyway (`arXiv:2401.01234`, `doi:10.…`, `https://…`).
 */
import type { PaperFilter, TextClause } from '../filter/paper-filter.ts';
import { STOPWORDS, words } from './tokenize.ts';

export { isFiltered as hasFilters, mergeFilters } from '../filter/paper-filter.ts';

/** Which rankers a search uses. */
export type SearchMode = 'keyword' | 'semantic' | 'hybrid';

/** The filters a query writes with operators (`cat:`, `author:`, `since:` …): the shared paper filter. */
export type SearchFilters = PaperFilter;

/** A word, or words that must appear in this order. */
export type QueryClause = TextClause;

/** A parsed query: what to match, what to exclude, and the filters written into it. */
export interface ParsedQuery {
  /** The free text without operators and filters: what the semantic side embeds. */
  text: string;
  /** Positive clauses, stopwords dropped and repeats merged. */
  clauses: QueryClause[];
  excluded: QueryClause[];
  filters: SearchFilters;
  /** Parts that were not understood and were ignored (`year:soon`). */
  warnings: string[];
}

const FIELDS: Record<string, 'author' | 'cat' | 'org' | 'year' | 'since' | 'until' | 'title' | 'abstract'> = {
  title: 'title',
  ti: 'title',
  abstract: 'abstract',
  abs: 'abstract',
  author: 'author',
  au: 'author',
  cat: 'cat',
  category: 'cat',
  org: 'org',
  organization: 'org',
  year: 'year',
  since: 'since',
  from: 'since',
  until: 'until',
  to: 'until',
};

interface Token {
  negated: boolean;
  field?: string;
  value: string;
  quoted: boolean;
  /** Set when a `word:` prefix is no operator (the token is then text). */
  unknownOperator?: string;
}

/** Prefixes that are part of ordinary text, never taken for a mistyped operator. */
const TEXT_PREFIXES = new Set(['arxiv', 'doi', 'http', 'https', 'isbn', 'eg', 'ie', 'vs', 'cf']);

/** Splits the raw query into tokens: optional `-`, optional known `field:`, then a word or a "quoted phrase". */
function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const re = /(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))/gy;
  let i = 0;
  while (i < query.length) {
    if (/\s/.test(query[i])) {
      i++;
      continue;
    }
    re.lastIndex = i;
    const m = re.exec(query);
    if (!m || m[0] === '') {
      i++;
      continue;
    }
    i = re.lastIndex;
    const [, minus, field, phrase, word] = m;
    const known = field !== undefined && FIELDS[field.toLowerCase()] !== undefined;
    if (field !== undefined && !known) {
      // `arXiv:2401.01234`, `e.g.:` — not an operator, just text; anything else looked like one, so say so.
      const unknownOperator = TEXT_PREFIXES.has(field.toLowerCase()) ? undefined : field.toLowerCase();
      tokens.push({ negated: minus === '-', value: `${field}:${phrase ?? word ?? ''}`, quoted: false, unknownOperator });
    } else {
      tokens.push({ negated: minus === '-', field: field?.toLowerCase(), value: phrase ?? word ?? '', quoted: phrase !== undefined });
    }
  }
  return tokens;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The first or last day a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` value covers; undefined when it is no date. */
export function dateBound(value: string, edge: 'start' | 'end'): string | undefined {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : undefined;
  const day = m[3] ? Number(m[3]) : undefined;
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  const lastDay = (mo: number) => new Date(Date.UTC(year, mo, 0)).getUTCDate();
  if (day !== undefined && (day < 1 || day > lastDay(month!))) return undefined;
  if (edge === 'start') return `${m[1]}-${pad(month ?? 1)}-${pad(day ?? 1)}`;
  const mo = month ?? 12;
  return `${m[1]}-${pad(mo)}-${pad(day ?? lastDay(mo))}`;
}

const clauseKey = (c: QueryClause) => `${c.field ?? ''}:${c.quoted ? 'q' : 'w'}:${c.words.join(' ')}`;

function addUnique(list: QueryClause[], clause: QueryClause): void {
  if (clause.words.length > 0 && !list.some((c) => clauseKey(c) === clauseKey(clause))) list.push(clause);
}

type ListField = 'categories' | 'excludeCategories' | 'organizations' | 'excludeOrganizations' | 'authors' | 'excludeAuthors';

function push(filters: SearchFilters, key: ListField, value: string): void {
  const list = filters[key] ?? [];
  if (!list.includes(value)) list.push(value);
  filters[key] = list;
}

/** Parses a query string; never throws — what it cannot read becomes a warning. */
export function parseQuery(query: string): ParsedQuery {
  const clauses: QueryClause[] = [];
  const excluded: QueryClause[] = [];
  const filters: SearchFilters = {};
  const warnings: string[] = [];
  const text: string[] = [];

  const unknown = new Set<string>();
  for (const t of tokenize(query)) {
    if (t.unknownOperator) unknown.add(t.unknownOperator);
    const field = t.field ? FIELDS[t.field] : undefined;
    if (field === 'title' || field === 'abstract') {
      const clause: QueryClause = { words: words(t.value), quoted: t.quoted, raw: `${t.field}:${t.quoted ? `"${t.value}"` : t.value}`, field };
      if (clause.words.length === 0) warnings.push(`${t.field}: needs a word`);
      else if (t.negated) addUnique(excluded, clause);
      else {
        addUnique(clauses, clause);
        text.push(t.value);
      }
      continue;
    }
    if (field) {
      const value = t.value.trim();
      if (!value) {
        warnings.push(`${t.field}: needs a value`);
        continue;
      }
      if (field === 'author') push(filters, t.negated ? 'excludeAuthors' : 'authors', value);
      else if (field === 'cat') push(filters, t.negated ? 'excludeCategories' : 'categories', value);
      else if (field === 'org') push(filters, t.negated ? 'excludeOrganizations' : 'organizations', value);
      else {
        const since = field === 'until' ? undefined : dateBound(value, 'start');
        const until = field === 'since' ? undefined : dateBound(value, 'end');
        if ((field !== 'until' && !since) || (field !== 'since' && !until) || (field === 'year' && !/^\d{4}$/.test(value))) {
          warnings.push(`${t.field}:${value} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)`);
          continue;
        }
        if (since && (!filters.since || since > filters.since)) filters.since = since;
        if (until && (!filters.until || until < filters.until)) filters.until = until;
      }
      continue;
    }
    const clause: QueryClause = { words: words(t.value), quoted: t.quoted, raw: t.quoted ? `"${t.value}"` : t.value };
    if (t.negated) addUnique(excluded, clause);
    else {
      addUnique(clauses, clause);
      if (clause.words.length) text.push(t.value);
    }
  }

  for (const name of unknown) warnings.push(`${name}: is not an operator, so it was searched as words (operators: title: abstract: author: cat: org: year: since: until:)`);
  // Stopwords say nothing on their own; a query of nothing but stopwords keeps them rather than match nothing.
  const telling = clauses.filter((c) => c.quoted || c.words.length > 1 || !STOPWORDS.has(c.words[0]));
  return { text: text.join(' '), clauses: telling.length ? telling : clauses, excluded, filters, warnings };
}

/**
 * The papers a query selects when it is a standing selection rather than a ranked search (an alert, a
 * search feed): its operators, and every one of its words and phrases (never "some of them").
 */
export function queryFilter(query: string | ParsedQuery): PaperFilter {
  const parsed = typeof query === 'string' ? parseQuery(query) : query;
  if (parsed.clauses.length === 0 && parsed.excluded.length === 0) return parsed.filters;
  return { ...parsed.filters, text: { clauses: parsed.clauses, excluded: parsed.excluded, match: 'all' } };
}
