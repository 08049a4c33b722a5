/** What each feed lists: the paper filter (src/filter/) in an order, no HTTP, no XML. */
import type { Db } from '../db/database.ts';
import { mergeFilters, type PaperFilter } from '../filter/paper-filter.ts';
import { filteredPaperIds, type PaperOrder } from '../filter/paper-filter.repo.ts';
import { findAuthor, findOrganization, listPaperIds } from '../listings/listings.repo.ts';
import { latestListingDay } from '../listings/listings.service.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { queryFilter } from '../search/query.ts';

/** How many papers a feed holds. */
export const FEED_SIZE = 50;

/**
 * How many papers one document of the daily feed holds. A day's feed carries the whole day, as arXiv's own
 * feeds do (most readers never follow paging links): every day of the 74,728-paper corpus fits, the largest
 * being 713 papers. A larger day continues on RFC 5005 pages.
 */
export const DAILY_FEED_PAGE = 1_000;

/** A feed's papers plus words to describe it; undefined when its subject does not exist. */
export interface FeedList {
  title: string;
  description: string;
  /** Root-relative path of the matching HTML page. */
  page: string;
  papers: Paper[];
  /** Set when the list is one page of a paged feed (RFC 5005): which page of how many, of which day. */
  paging?: { day: string; page: number; pageCount: number };
}

async function papers(db: Db, filter: PaperFilter, order: PaperOrder): Promise<Paper[]> {
  return getPapers(db.kysely, await filteredPaperIds(db, filter, order, FEED_SIZE));
}

/** The papers of a listing day (default: the newest), hottest first, `perPage` a document; undefined past the last page. */
export async function dailyFeed(db: Db, day?: string, page = 1, perPage = DAILY_FEED_PAGE): Promise<FeedList | undefined> {
  const when = day ?? (await latestListingDay(db));
  const list = { title: 'Paperboy: daily papers', description: 'The papers of one listing day, hottest first.', page: '/', papers: [] };
  if (!when) return page === 1 ? list : undefined;
  // The same order as the day's page, so the feed and the list agree paper for paper.
  const { ids, total } = await listPaperIds(db, { since: when, until: when }, 'trending', perPage, (page - 1) * perPage);
  const pageCount = Math.max(1, Math.ceil(total / perPage));
  if (page > pageCount) return undefined;
  return {
    ...list,
    title: `Paperboy: papers of ${when}`,
    page: day ? `/day/${when}` : '/',
    papers: await getPapers(db.kysely, ids),
    paging: { day: when, page, pageCount },
  };
}

/** The whole store by hotness. */
export async function trendingFeed(db: Db): Promise<FeedList> {
  return { title: 'Paperboy: trending papers', description: 'The papers people are reading now, by hotness.', page: '/trending', papers: await papers(db, {}, 'hotness') };
}

/**
 * The newest papers matching a query and/or filters: every word of the query (a feed is a standing
 * selection, so never the "some of the words" an interactive search may fall back to), newest first.
 */
export async function searchFeed(db: Db, q: string | undefined, filter: PaperFilter): Promise<FeedList> {
  const parts = [
    q && `“${q}”`,
    filter.categories?.length && `in ${filter.categories.join(', ')}`,
    filter.excludeCategories?.length && `not in ${filter.excludeCategories.join(', ')}`,
    filter.organizations?.length && `from ${filter.organizations.join(', ')}`,
    filter.excludeOrganizations?.length && `not from ${filter.excludeOrganizations.join(', ')}`,
  ].filter(Boolean);
  const label = parts.join(' ') || 'all papers';
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  for (const [name, values] of [['cat', filter.categories], ['notcat', filter.excludeCategories], ['org', filter.organizations], ['notorg', filter.excludeOrganizations]] as const) {
    for (const v of values ?? []) params.append(name, v);
  }
  return {
    title: `Paperboy: ${label}`,
    description: `New papers matching ${label}, newest first.`,
    page: q ? `/search?${params}` : `/trending${params.size ? `?${params}` : ''}`,
    papers: await papers(db, q ? mergeFilters(queryFilter(q), filter) : filter, 'newest'),
  };
}

/** An author's papers, newest first; undefined for an unknown author. */
export async function authorFeed(db: Db, id: number): Promise<FeedList | undefined> {
  const author = await findAuthor(db.kysely, id);
  if (!author) return undefined;
  return { title: `Paperboy: papers by ${author.name}`, description: `Papers by ${author.name}, newest first.`, page: `/authors/${id}`, papers: await papers(db, { authorIds: [id] }, 'newest') };
}

/** An organization's papers, newest first; undefined for an unknown organization. */
export async function organizationFeed(db: Db, slug: string): Promise<FeedList | undefined> {
  const org = await findOrganization(db.kysely, slug);
  if (!org) return undefined;
  return {
    title: `Paperboy: papers from ${org.name}`,
    description: `Papers from ${org.name}, newest first.`,
    page: `/orgs/${encodeURIComponent(slug)}`,
    papers: await papers(db, { organizationIds: [org.id] }, 'newest'),
  };
}
