/**
 * "Which papers": the one typed filter that list pages, search, feeds, alerts, the digest window and the
 * JSON API all select papers with, so that `cat:cs`, `?cat=cs.lg`, an alert for category `cs` and a feed of
 * `org=Meta` mean the same everywhere. This module is pure (the meaning and the limits); paper-filter.repo.ts
 * turns a filter into one SQL condition for either database.
 *
 * Meaning, pinned by paper-filter.test.ts on both databases:
 * - a category matches in any case (`cs.lg` = `cs.LG`); a value without a dot is a whole archive (`cs` is
 *   every cs.* paper, `hep-th` the hep-th archive);
 * - an organization matches by slug or by name, in any case;
 * - an author matches by full name or by surname (the last words of the name: `lecun`, `van gool`), with
 *   accents, case and punctuation folded;
 * - within one field any value may match, across fields all must; `exclude…` fields remove papers that match
 *   any of their values;
 * - `since`/`until` are inclusive listing days; `ids`, `authorIds` and `organizationIds` restrict to those
 *   stored papers, authors, organizations;
 * - `text` requires words and phrases in the title, abstract or authors: all of them, or any one of them;
 * - `unseenBy` leaves out what that account marked read or "not interested"; `followedBy` keeps the papers
 *   of the authors and organizations, and in the categories, that account follows.
 */
import { normalizeAuthorName } from '../papers/normalize.ts';

/** A word, or words that must appear in this order (the query parser's clause). */
export interface TextClause {
  /** Folded words (see search/tokenize.ts). */
  words: string[];
  /** Quoted by the user: stopwords kept, and never matched as the run-together spelling. */
  quoted: boolean;
  /** As typed, for messages. */
  raw: string;
  /** Only in this field (`title:`, `abstract:`); anywhere in title, abstract or authors otherwise. */
  field?: 'title' | 'abstract';
}

/** Words a paper's text must contain: every clause (`all`) or at least one (`any`), and none of `excluded`. */
export interface TextTerms {
  clauses: TextClause[];
  excluded: TextClause[];
  match: 'all' | 'any';
}

/** Restrictions on which papers are meant; an empty filter is the whole store. */
export interface PaperFilter {
  /** Categories (`cs.LG`, any case) or whole archives (`cs`). */
  categories?: string[];
  excludeCategories?: string[];
  /** Organization slugs or names, any case. */
  organizations?: string[];
  excludeOrganizations?: string[];
  /** Full names or surnames. */
  authors?: string[];
  excludeAuthors?: string[];
  /** Stored author ids (an author's page). */
  authorIds?: number[];
  /** Stored organization ids (an organization's page). */
  organizationIds?: number[];
  /** Inclusive bounds on the listing day, YYYY-MM-DD. */
  since?: string;
  until?: string;
  /** Only these paper ids. */
  ids?: number[];
  text?: TextTerms;
  /** Leave out the papers this account marked read or "not interested" (`?hide=read`). */
  unseenBy?: number;
  /** Only papers by authors or organizations, or in categories, this account follows (the Following page). */
  followedBy?: number;
}

/** The list-valued fields of a filter that a request may fill from its parameters. */
export const VALUE_FIELDS = ['categories', 'excludeCategories', 'organizations', 'excludeOrganizations', 'authors', 'excludeAuthors'] as const;

/** The fields holding stored ids; an empty list there selects nothing. */
const ID_FIELDS = ['ids', 'authorIds', 'organizationIds'] as const;

/**
 * How much one filter may ask for. Each value is an indexed lookup; these bounds keep the worst request a
 * few milliseconds of database time (see `npm run bench:abuse`), where 300 author values once took 4.4 s.
 */
export const FILTER_LIMITS = {
  /** Values in one field (`cat=` repeated, `author:` terms in a query). */
  valuesPerField: 20,
  /** Values across all fields together. */
  values: 40,
  /** Words and phrases of a text condition (positive and excluded). */
  clauses: 100,
  /** Ids in `ids` or `authorIds`. */
  ids: 5000,
};

/** A request asked for more than FILTER_LIMITS allow; the message says which limit, for a 400 answer. */
export class FilterLimitError extends Error {}

/** Throws FilterLimitError when a filter asks for more than FILTER_LIMITS allow. */
export function checkFilterLimits(f: PaperFilter): void {
  let total = 0;
  for (const key of VALUE_FIELDS) {
    const n = f[key]?.length ?? 0;
    if (n > FILTER_LIMITS.valuesPerField) throw new FilterLimitError(`At most ${FILTER_LIMITS.valuesPerField} ${FIELD_WORDS[key]} at once (got ${n}).`);
    total += n;
  }
  if (total > FILTER_LIMITS.values) throw new FilterLimitError(`At most ${FILTER_LIMITS.values} filter values at once (got ${total}).`);
  const clauses = (f.text?.clauses.length ?? 0) + (f.text?.excluded.length ?? 0);
  if (clauses > FILTER_LIMITS.clauses) throw new FilterLimitError(`At most ${FILTER_LIMITS.clauses} words and phrases in a query (got ${clauses}).`);
  for (const key of ID_FIELDS) {
    if ((f[key]?.length ?? 0) > FILTER_LIMITS.ids) throw new FilterLimitError(`At most ${FILTER_LIMITS.ids} ${key} at once.`);
  }
}

const FIELD_WORDS: Record<(typeof VALUE_FIELDS)[number], string> = {
  categories: 'categories',
  excludeCategories: 'excluded categories',
  organizations: 'organizations',
  excludeOrganizations: 'excluded organizations',
  authors: 'authors',
  excludeAuthors: 'excluded authors',
};

/** A category as the filter matches it: its lower-cased key, and whether it names a whole archive. */
export function categoryKey(value: string): { key: string; archive: boolean } {
  const key = value.trim().toLowerCase();
  return { key, archive: !key.includes('.') };
}

/** The archive a stored category belongs to, lower-cased: `cs.LG` → `cs`, `hep-th` → `hep-th`. */
export function archiveOf(category: string): string {
  const key = category.trim().toLowerCase();
  const dot = key.indexOf('.');
  return dot > 0 ? key.slice(0, dot) : key;
}

/** The last word of a normalized author name, the key surname matching starts from (`yann lecun` → `lecun`). */
export function lastWord(nameNorm: string): string {
  return nameNorm.slice(nameNorm.lastIndexOf(' ') + 1);
}

/** Author values as the filter matches them: normalized, empties dropped, each with its last word. */
export function authorKeys(values: string[]): { norm: string; last: string }[] {
  const norms = [...new Set(values.map(normalizeAuthorName).filter(Boolean))];
  return norms.map((norm) => ({ norm, last: lastWord(norm) }));
}

const unique = (values: string[]) => [...new Set(values.map((v) => v.trim()).filter(Boolean))];

/** Both filters at once: lists are unioned (any value of either), date bounds narrowed, ids intersected, texts joined. */
export function mergeFilters(a: PaperFilter, b: PaperFilter | undefined): PaperFilter {
  if (!b) return a;
  const out: PaperFilter = {};
  for (const key of VALUE_FIELDS) {
    const merged = unique([...(a[key] ?? []), ...(b[key] ?? [])]);
    if (merged.length) out[key] = merged;
  }
  const since = [a.since, b.since].filter((d): d is string => !!d).sort().at(-1);
  const until = [a.until, b.until].filter((d): d is string => !!d).sort()[0];
  if (since) out.since = since;
  if (until) out.until = until;
  for (const key of ID_FIELDS) {
    const x = a[key];
    const y = b[key];
    if (x && y) {
      const keep = new Set(y);
      out[key] = x.filter((id) => keep.has(id));
    } else if (x ?? y) out[key] = x ?? y;
  }
  if (a.text && b.text) {
    if (a.text.match !== b.text.match) throw new Error('mergeFilters: cannot join text conditions of different match modes');
    out.text = { match: a.text.match, clauses: [...a.text.clauses, ...b.text.clauses], excluded: [...a.text.excluded, ...b.text.excluded] };
  } else if (a.text ?? b.text) out.text = a.text ?? b.text;
  for (const key of ['unseenBy', 'followedBy'] as const) {
    const account = a[key] ?? b[key];
    if (account !== undefined) out[key] = account;
  }
  return out;
}

/** True when the filter restricts anything. */
export function isFiltered(f: PaperFilter): boolean {
  return Object.entries(f).some(([key, v]) =>
    key === 'text' ? hasText(f.text) : Array.isArray(v) ? v.length > 0 || (ID_FIELDS as readonly string[]).includes(key) : v !== undefined,
  );
}

/** True when the filter has words to match. */
export function hasText(t: TextTerms | undefined): t is TextTerms {
  return !!t && (t.clauses.length > 0 || t.excluded.length > 0);
}

/** The filter without its text condition (what a ranked search applies around its own word matching). */
export function withoutText(f: PaperFilter): PaperFilter {
  const { text: _text, ...rest } = f;
  return rest;
}
