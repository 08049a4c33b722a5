/** What each feed lists: thin compositions of the listings repo and the keyword index, no HTTP, no XML. */
import type { Db } from '../db/database.ts';
import { findAuthor, findOrganization, listPaperIds, type ListingFilter } from '../listings/listings.repo.ts';
import { latestListingDay } from '../listings/listings.service.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { keywordIndexFor } from '../search/keyword-index.ts';

/** How many papers a feed holds. */
export const FEED_SIZE = 50;
// Keyword hits considered before filters and the newest-first cut.
const SEARCH_HITS = 1000;

/** A feed's papers plus words to describe it; undefined when its subject does not exist. */
export interface FeedList {
  title: string;
  description: string;
  /** Root-relative path of the matching HTML page. */
  page: string;
  papers: Paper[];
}

async function papers(db: Db, filter: ListingFilter, sort: 'trending' | 'newest'): Promise<Paper[]> {
  const { ids } = await listPaperIds(db.kysely, filter, sort, FEED_SIZE, 0);
  return getPapers(db.kysely, ids);
}

/** The papers of a listing day (default: the newest), hottest first. */
export async function dailyFeed(db: Db, day?: string): Promise<FeedList> {
  const when = day ?? (await latestListingDay(db));
  return {
    title: when ? `Paperboy: papers of ${when}` : 'Paperboy: daily papers',
    description: 'The papers of one listing day, hottest first.',
    page: when && day ? `/day/${when}` : '/',
    papers: when ? await papers(db, { from: when, to: when }, 'trending') : [],
  };
}

/** The whole store by hotness. */
export async function trendingFeed(db: Db): Promise<FeedList> {
  return { title: 'Paperboy: trending papers', description: 'The papers people are reading now, by hotness.', page: '/trending', papers: await papers(db, {}, 'trending') };
}

/** A keyword search and/or category and organization filters, newest first. */
export async function searchFeed(db: Db, q: string | undefined, filter: Pick<ListingFilter, 'categories' | 'organizations'>): Promise<FeedList> {
  const parts = [q && `“${q}”`, filter.categories?.length && `in ${filter.categories.join(', ')}`, filter.organizations?.length && `from ${filter.organizations.join(', ')}`].filter(Boolean);
  const label = parts.join(' ') || 'all papers';
  const ids = q ? (await keywordIndexFor(db.dialect).search(db.kysely, q, SEARCH_HITS)).map((h) => h.id) : undefined;
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  for (const c of filter.categories ?? []) params.append('cat', c);
  for (const o of filter.organizations ?? []) params.append('org', o);
  return {
    title: `Paperboy: ${label}`,
    description: `New papers matching ${label}, newest first.`,
    page: q ? `/search?${params}` : `/trending${params.size ? `?${params}` : ''}`,
    papers: await papers(db, { ...filter, ids }, 'newest'),
  };
}

/** An author's papers, newest first; undefined for an unknown author. */
export async function authorFeed(db: Db, id: number): Promise<FeedList | undefined> {
  const author = await findAuthor(db.kysely, id);
  if (!author) return undefined;
  return { title: `Paperboy: papers by ${author.name}`, description: `Papers by ${author.name}, newest first.`, page: `/authors/${id}`, papers: await papers(db, { authorId: id }, 'newest') };
}

/** An organization's papers, newest first; undefined for an unknown organization. */
export async function organizationFeed(db: Db, slug: string): Promise<FeedList | undefined> {
  const org = await findOrganization(db.kysely, slug);
  if (!org) return undefined;
  return {
    title: `Paperboy: papers from ${org.name}`,
    description: `Papers from ${org.name}, newest first.`,
    page: `/orgs/${encodeURIComponent(slug)}`,
    papers: await papers(db, { organizations: [slug] }, 'newest'),
  };
}
