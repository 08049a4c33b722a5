/** The rules of the paper lists: which period a page shows, where previous/next lead, what counts as new. */
import type { Db } from '../db/database.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { searchPapers } from '../search/search.service.ts';
import { announcedSeconds } from '../trending/trending.service.ts';
import * as repo from './listings.repo.ts';
import { type Period, addDays, periodOf, periodRange } from './period.ts';

export type { Facet, ListingSort } from './listings.repo.ts';

/** The reader's choices on a list: order, filters and page. */
export interface ListOptions {
  sort: repo.ListingSort;
  filter: Pick<repo.ListingFilter, 'categories' | 'notCategories' | 'organizations' | 'notOrganizations'>;
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

/** Whether any filter narrows the list. */
export function isFiltered(filter: ListOptions['filter']): boolean {
  return Object.values(filter).some((v) => v && v.length > 0);
}

async function page(db: Db, filter: repo.ListingFilter, options: ListOptions): Promise<ListPage> {
  const { ids, total } = await repo.listPaperIds(db.kysely, filter, options.sort, options.perPage, (options.page - 1) * options.perPage);
  return { papers: await getPapers(db.kysely, ids), total, page: options.page, pageCount: Math.max(1, Math.ceil(total / options.perPage)) };
}

/** The newest listing day in the store, which the home page shows. */
export async function latestListingDay(db: Db): Promise<string | undefined> {
  return (await repo.listingBounds(db.kysely))?.last;
}

/** The papers of a day, week or month; previous/next skip over periods without papers (weekends, holidays). */
export async function periodListing(db: Db, period: Period, options: ListOptions): Promise<PeriodListing> {
  const { from, to } = periodRange(period);
  const list = await page(db, { ...options.filter, from, to }, options);
  const near = await repo.neighbourDays(db.kysely, from, to);
  const bounds = await repo.listingBounds(db.kysely);
  return {
    ...list,
    period,
    from,
    to,
    prev: near.prev ? periodOf(period.kind, near.prev) : undefined,
    next: near.next ? periodOf(period.kind, near.next) : undefined,
    latestDay: bounds?.last,
    categories: await repo.categoryFacets(db.kysely, from, to),
    organizations: await repo.organizationFacets(db.kysely, from, to),
  };
}

/** How many days before the newest listing day the trending filters draw their choices from. */
export const TRENDING_FACET_DAYS = 30;

/** The whole store by hotness (or another order), filtered, with the recent period's categories and organizations to filter by. */
export async function trendingListing(db: Db, options: ListOptions): Promise<ListPage & { categories: repo.Facet[]; organizations: repo.Facet[] }> {
  const list = await page(db, options.filter, options);
  const last = (await repo.listingBounds(db.kysely))?.last;
  if (!last) return { ...list, categories: [], organizations: [] };
  const from = addDays(last, -TRENDING_FACET_DAYS);
  return { ...list, categories: await repo.categoryFacets(db.kysely, from, last), organizations: await repo.organizationFacets(db.kysely, from, last) };
}

/** An author and their papers, newest first. */
export async function authorListing(db: Db, authorId: number, options: Omit<ListOptions, 'filter'>) {
  const author = await repo.findAuthor(db.kysely, authorId);
  if (!author) return undefined;
  const list = await page(db, { authorId }, { ...options, filter: {} });
  return { author, coauthors: await repo.frequentCoauthors(db.kysely, authorId), ...list };
}

/** An organization and its papers, newest first. */
export async function organizationListing(db: Db, slug: string, options: Omit<ListOptions, 'filter'>) {
  const organization = await repo.findOrganization(db.kysely, slug);
  if (!organization) return undefined;
  return { organization, ...(await page(db, { organizations: [slug] }, { ...options, filter: {} })) };
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

/** How many keyword hits the search page pages through and filters (the best ones). */
export const MAX_SEARCH_HITS = 300;

/** Search-page filters on top of the list filters: a listing-day range. */
export interface SearchOptions extends Omit<ListOptions, 'sort'> {
  from?: string;
  to?: string;
}

/**
 * One page of search results, best first, with the categories and organizations among all hits.
 * The keyword search itself is `searchPapers`; date, category and organization filters are applied
 * here to its best MAX_SEARCH_HITS hits, until search.service.ts takes filters itself.
 */
export async function searchListing(db: Db, query: string, options: SearchOptions) {
  const hits = (await searchPapers(db, query, MAX_SEARCH_HITS)).map((h) => h.paper);
  const filter = { ...options.filter, from: options.from, to: options.to };
  const narrowed = isFiltered(options.filter) || options.from || options.to;
  const allowed = narrowed && hits.length ? await repo.filterPaperIds(db.kysely, { ...filter, ids: hits.map((p) => p.id) }) : undefined;
  const matching = allowed ? hits.filter((p) => allowed.has(p.id)) : hits;
  const start = (options.page - 1) * options.perPage;
  return {
    papers: matching.slice(start, start + options.perPage),
    total: matching.length,
    page: options.page,
    pageCount: Math.max(1, Math.ceil(matching.length / options.perPage)),
    /** Whether the search stopped at MAX_SEARCH_HITS (there may be more, weaker matches). */
    capped: hits.length >= MAX_SEARCH_HITS,
    categories: facetsOf(hits.flatMap((p) => p.categories.map((c) => ({ value: c, label: c })))),
    organizations: facetsOf(hits.flatMap((p) => (p.organization ? [{ value: p.organization.slug, label: p.organization.name }] : []))),
  };
}

function facetsOf(values: { value: string; label: string }[], limit = 15): repo.Facet[] {
  const counts = new Map<string, repo.Facet>();
  for (const v of values) {
    const facet = counts.get(v.value) ?? { ...v, count: 0 };
    facet.count++;
    counts.set(v.value, facet);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, limit);
}
