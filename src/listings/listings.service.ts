/** The rules of the paper lists: which period a page shows, where previous/next lead, what counts as new. */
import type { Db } from '../db/database.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import type { PaperFilter } from '../filter/paper-filter.ts';
import { search, type SearchDeps, type SearchMode, type SearchSort } from '../search/search.service.ts';
import { announcedSeconds } from '../trending/trending.service.ts';
import * as repo from './listings.repo.ts';
import { type Period, addDays, periodOf, periodRange } from './period.ts';

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

/** A period's page: its papers plus the nearest periods that have any, and what to filter by. */
export interface PeriodListing extends ListPage {
  period: Period;
  from: string;
  to: string;
  prev?: Period;
  next?: Period;
  /** The store's newest listing day, for "no new papers — see the latest day". */
  latestDay?: string;
  categories: repo.Facet[];
  organizations: repo.Facet[];
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
    categories: await repo.categoryFacets(db.kysely, from, to),
    organizations: await repo.organizationFacets(db.kysely, from, to),
  };
}

/** How many days before the newest listing day the trending filters draw their choices from. */
export const TRENDING_FACET_DAYS = 30;

/** The whole store by hotness (or another order), filtered, with the recent period's categories and organizations to filter by. */
export async function trendingListing(db: Db, options: ListOptions): Promise<ListPage & { categories: repo.Facet[]; organizations: repo.Facet[] }> {
  const list = await page(db, options.filter, options);
  const last = await repo.latestListingDay(db.kysely);
  if (!last) return { ...list, categories: [], organizations: [] };
  const from = addDays(last, -TRENDING_FACET_DAYS);
  return { ...list, categories: await repo.categoryFacets(db.kysely, from, last), organizations: await repo.organizationFacets(db.kysely, from, last) };
}

/** An author and their papers, newest first. */
export async function authorListing(db: Db, authorId: number, options: Omit<ListOptions, 'filter'>) {
  const author = await repo.findAuthor(db.kysely, authorId);
  if (!author) return undefined;
  const list = await page(db, { authorIds: [authorId] }, { ...options, filter: {} });
  return { author, coauthors: await repo.frequentCoauthors(db.kysely, authorId), ...list };
}

/** An organization and its papers, newest first. */
export async function organizationListing(db: Db, slug: string, options: Omit<ListOptions, 'filter'>) {
  const organization = await repo.findOrganization(db.kysely, slug);
  if (!organization) return undefined;
  return { organization, ...(await page(db, { organizationIds: [organization.id] }, { ...options, filter: {} })) };
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

/** The search page's choices: filters (with its listing-day range as since/until), page and rankers. */
export type SearchOptions = Omit<ListOptions, 'sort'> & { mode?: SearchMode; sort?: SearchSort };

/**
 * One page of search results, best first, through `search` (src/search/search.service.ts: the query
 * syntax, keyword and vector ranking); the form's dates, categories and organizations become its filters.
 * `total` is undefined when the search did not count its matches; `pageCount` is then "at least".
 */
export async function searchListing(db: Db, query: string, options: SearchOptions, deps: SearchDeps = {}) {
  const response = await search(
    db,
    { query, mode: options.mode, sort: options.sort, limit: options.perPage, offset: (options.page - 1) * options.perPage, filters: options.filter },
    deps,
  );
  const papers = response.results.map((r) => r.paper);
  const seen = (options.page - 1) * options.perPage + papers.length;
  const more = response.total === undefined && papers.length === options.perPage;
  const last = await repo.latestListingDay(db.kysely);
  const from = last ? addDays(last, -TRENDING_FACET_DAYS) : undefined;
  return {
    papers,
    total: response.total ?? (more ? undefined : seen),
    /** Set when more papers match than are counted exactly: `total` is then a lower bound. */
    totalAtLeast: response.totalAtLeast ?? false,
    page: options.page,
    pageCount: response.total !== undefined ? Math.max(1, Math.ceil(response.total / options.perPage)) : more ? options.page + 1 : options.page,
    /** The words to highlight: every word of the query's positive clauses. */
    terms: response.parsedQuery.clauses.flatMap((c) => c.words),
    /** Parts of the query that were not understood and were ignored. */
    warnings: response.parsedQuery.warnings,
    mode: response.mode,
    /** Set when no paper has every word: these have some of them. */
    partial: response.partial ?? false,
    // The filter choices: recent categories and organizations, as on the trending page (counts are not of the results).
    categories: from && last ? (await repo.categoryFacets(db.kysely, from, last)).map((f) => ({ ...f, count: -1 })) : [],
    organizations: from && last ? (await repo.organizationFacets(db.kysely, from, last)).map((f) => ({ ...f, count: -1 })) : [],
  };
}
