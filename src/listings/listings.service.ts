/** The rules of the paper lists: which period a page shows, where previous/next lead, what counts as new. */
import type { Db } from '../db/database.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers, highestPaperId } from '../papers/papers.repo.ts';
import { isFiltered, type PaperFilter } from '../filter/paper-filter.ts';
import { search, type SearchDeps, type SearchMode, type SearchSort } from '../search/search.service.ts';
import { announcedSeconds } from '../trending/trending.service.ts';
import * as repo from './listings.repo.ts';
import { type Period, periodOf, periodRange } from './period.ts';

export type { Facet, ListingSort } from './listings.repo.ts';

/** The reader's choices on a list: order, filters and page. */
export interface ListOptions {
  sort: repo.ListingSort;
  /** Which papers (the list's own period, author or organization is added to it). */
  filter: PaperFilter;
  page: number;
  perPage: number;
}

/** One page of a list and how many pages there are. */
export interface ListPage {
  papers: Paper[];
  total: number;
  page: number;
  pageCount: number;
}

/** What a list offers to filter by: its most frequent categories and organizations. */
export interface Facets {
  categories: repo.Facet[];
  /** Besides the most frequent, the organizations the reader chose, under their names. */
  organizations: repo.Facet[];
}

/** A period's page: its papers plus the nearest periods that have any, and what to filter by. */
export interface PeriodListing extends ListPage, Facets {
  period: Period;
  from: string;
  to: string;
  prev?: Period;
  next?: Period;
  /** The store's newest listing day, for "no new papers — see the latest day". */
  latestDay?: string;
}

async function page(db: Db, filter: PaperFilter, options: ListOptions): Promise<ListPage> {
  const { ids, total } = await repo.listPaperIds(db, filter, options.sort, options.perPage, (options.page - 1) * options.perPage);
  return { papers: await getPapers(db.kysely, ids), total, page: options.page, pageCount: Math.max(1, Math.ceil(total / options.perPage)) };
}

/** The newest listing day in the store (see listings.repo.ts#latestListingDay): what the home page shows. */
export async function latestListingDay(db: Db, now = new Date()): Promise<string | undefined> {
  return repo.latestListingDay(db.kysely, now);
}

/** The papers of a day, week or month; previous/next skip over periods without papers (weekends, holidays). */
export async function periodListing(db: Db, period: Period, options: ListOptions): Promise<PeriodListing> {
  const { from, to } = periodRange(period);
  const list = await page(db, { ...options.filter, since: from, until: to }, options);
  const near = await repo.neighbourDays(db.kysely, from, to);
  const latestDay = await repo.latestListingDay(db.kysely);
  return {
    ...list,
    period,
    from,
    to,
    prev: near.prev ? periodOf(period.kind, near.prev) : undefined,
    next: near.next ? periodOf(period.kind, near.next) : undefined,
    latestDay,
    ...(await listFacets(db, { since: from, until: to }, options.filter)),
  };
}

/** The whole store by hotness (or another order), filtered, with the store's categories and organizations to filter by. */
export async function trendingListing(db: Db, options: ListOptions): Promise<ListPage & Facets> {
  const [list, facets] = await Promise.all([page(db, options.filter, options), listFacets(db, {}, options.filter)]);
  return { ...list, ...facets };
}

/**
 * What a list of the papers in `scope` offers to filter by (`{}`: the whole store, as trending and search
 * are), plus the organizations `filter` names, so that a chip or a choice shows "Old Lab", not `old-lab`.
 */
export async function listFacets(db: Db, scope: PaperFilter, filter: PaperFilter): Promise<Facets> {
  const { categories, organizations } = isFiltered(scope) ? await scopeFacets(db, scope) : await storeFacets(db);
  const chosen = [...(filter.organizations ?? []), ...(filter.excludeOrganizations ?? [])].filter((v) => !organizations.some((o) => o.value === v));
  // Each chosen value is looked up through the paper filter, so it means here what it means to the list.
  const named = await Promise.all(chosen.map(async (value) => (await repo.organizationFacets(db, { organizations: [value] }, 1)).map((o) => ({ value, label: o.label, count: -1 }))));
  return { categories, organizations: [...organizations, ...named.flat()] };
}

async function scopeFacets(db: Db, scope: PaperFilter): Promise<Facets> {
  const [categories, organizations] = await Promise.all([repo.categoryFacets(db, scope), repo.organizationFacets(db, scope)]);
  return { categories, organizations };
}

/** How long the store-wide facets are reused (they change with imports, and a new paper renews them at once). */
const STORE_FACETS_MS = 60_000;
const storeFacetMemo = new WeakMap<Db, { at: number; newest: number; facets: Promise<Facets> }>();

/** The whole store's facets: two scans of the store (10 ms on 75k papers), so remembered between requests. */
async function storeFacets(db: Db): Promise<Facets> {
  const newest = await highestPaperId(db.kysely);
  const memo = storeFacetMemo.get(db);
  if (memo && memo.newest === newest && Date.now() - memo.at < STORE_FACETS_MS) return memo.facets;
  const facets = scopeFacets(db, {});
  storeFacetMemo.set(db, { at: Date.now(), newest, facets });
  facets.catch(() => storeFacetMemo.delete(db));
  return facets;
}

/** An author and their papers, newest first (`filter` narrows them, e.g. to what the reader has not seen). */
export async function authorListing(db: Db, authorId: number, options: Omit<ListOptions, 'filter'> & { filter?: PaperFilter }) {
  const author = await repo.findAuthor(db.kysely, authorId);
  if (!author) return undefined;
  const list = await page(db, { ...options.filter, authorIds: [authorId] }, { ...options, filter: {} });
  return { author, coauthors: await repo.frequentCoauthors(db.kysely, authorId), ...list };
}

/** An organization and its papers, newest first (`filter` narrows them, e.g. to what the reader has not seen). */
export async function organizationListing(db: Db, slug: string, options: Omit<ListOptions, 'filter'> & { filter?: PaperFilter }) {
  const organization = await repo.findOrganization(db.kysely, slug);
  if (!organization) return undefined;
  return { organization, ...(await page(db, { ...options.filter, organizationIds: [organization.id] }, { ...options, filter: {} })) };
}

/** A month of the archive: its total and its listing days. */
export interface ArchiveMonth {
  month: string;
  count: number;
  days: { day: string; count: number }[];
}

/** Every month with papers, newest first, each with its listing days. */
export async function archiveMonths(db: Db): Promise<ArchiveMonth[]> {
  const months: ArchiveMonth[] = [];
  for (const { day, count } of await repo.countsByDay(db.kysely)) {
    const month = day.slice(0, 7);
    if (months.at(-1)?.month !== month) months.push({ month, count: 0, days: [] });
    months.at(-1)!.count += count;
    months.at(-1)!.days.push({ day, count });
  }
  return months;
}

/** How long after its announcement a paper is "new". */
export const NEW_FOR_MS = 24 * 60 * 60 * 1000;

/** Whether a paper was announced within the last day (its listing day starts at 00:00 UTC, just after arXiv's 20:00 ET mailing). */
export function isNew(paper: Pick<Paper, 'announcedOn'>, now: Date): boolean {
  if (!paper.announcedOn) return false;
  const age = now.getTime() - announcedSeconds({ announcedOn: paper.announcedOn, publishedAt: null }) * 1000;
  return age >= 0 && age < NEW_FOR_MS;
}

/** The search page's choices: filters (with its listing-day range as since/until), page, rankers and order. */
export type SearchOptions = Omit<ListOptions, 'sort'> & { mode?: SearchMode; sort?: SearchSort; literal?: boolean };

/** One page of search results as the search page shows them. */
export interface SearchListing {
  papers: Paper[];
  /** How many papers match: exact, a lower bound when `totalAtLeast`, undefined when not counted (long queries). */
  total?: number;
  /** Set when more papers match than are counted: `total` is then the bound. */
  totalAtLeast: boolean;
  page: number;
  /** The number of pages when `pageCountKnown`; otherwise this page, plus one when it is full. */
  pageCount: number;
  pageCountKnown: boolean;
  /** The words to highlight: every word of the query's positive clauses. */
  terms: string[];
  /** Parts of the query that were not understood (an operator search does not know, a date that is none). */
  warnings: string[];
  /** The mode actually used. */
  mode: SearchMode;
  /** Set when no paper has every word: these have some of them. */
  partial: boolean;
  /** Set when nothing is close enough to be a match: these are the closest papers. */
  closest: boolean;
  /** Set when semantic or hybrid was asked for and the store has no vectors to use. */
  noVectors: boolean;
  /** A spelling from the store's vocabulary; `applied` when these are its results. */
  suggestion?: { query: string; applied: boolean };
}

/**
 * One page of search results, best first, through `search` (src/search/search.service.ts: the query
 * syntax, keyword and vector ranking); the form's dates, categories and organizations become its filters.
 */
export async function searchListing(db: Db, query: string, options: SearchOptions, deps: SearchDeps = {}): Promise<SearchListing> {
  const offset = (options.page - 1) * options.perPage;
  const request = { query, mode: options.mode, sort: options.sort, literal: options.literal, limit: options.perPage, offset, filters: options.filter };
  const response = await search(db, request, deps);
  const papers = response.results.map((r) => r.paper);
  const full = papers.length === options.perPage;
  const counted = response.total !== undefined && !response.totalAtLeast;
  // Not counted exactly (a long query, or beyond COUNT_CAP): a page that is not full is the last one; an empty
  // page past the first tells nothing of where the end is.
  const end = !counted && !full && (papers.length > 0 || options.page === 1);
  return {
    papers,
    total: response.total ?? (end ? offset + papers.length : undefined),
    totalAtLeast: response.totalAtLeast ?? false,
    page: options.page,
    pageCount: counted ? Math.max(1, Math.ceil(response.total! / options.perPage)) : full ? options.page + 1 : options.page,
    pageCountKnown: counted || end,
    terms: response.parsedQuery.clauses.flatMap((c) => c.words),
    warnings: response.parsedQuery.warnings,
    mode: response.mode,
    partial: response.partial ?? false,
    closest: response.closest ?? false,
    noVectors: response.noVectors ?? false,
    ...(response.suggestion ? { suggestion: response.suggestion } : {}),
  };
}

/** What the search form offers to filter by: the whole store's categories and organizations (their counts are not of the results). */
export async function searchFacets(db: Db, filter: PaperFilter): Promise<Facets> {
  const { categories, organizations } = await listFacets(db, {}, filter);
  const uncounted = (f: repo.Facet) => ({ ...f, count: -1 });
  return { categories: categories.map(uncounted), organizations: organizations.map(uncounted) };
}
