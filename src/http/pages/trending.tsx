/** The trending page: papers by hotness, upvotes weighed against age. */
import type { Facets, ListPage } from '../../listings/listings.service.ts';
import type { Paper } from '../../papers/paper.ts';
import { PAGE_SIZE, type ListQuery, trendingUrl } from '../urls.ts';
import { papersCount } from './format.ts';
import { Layout } from './layout.tsx';
import { feedLinks, trendingFeedUrl } from '../feed-urls.ts';
import { FilterBar, withoutFilter } from './filter-parts.tsx';
import { EmptyList, Pager, PaperList } from './list-parts.tsx';

/** What the trending page shows. */
export interface TrendingView {
  listing: ListPage & Facets;
  query: ListQuery;
  isNew: (paper: Paper) => boolean;
}

/** Renders one page of the trending list. */
export function trendingPage({ listing, query, isNew }: TrendingView) {
  const href = (q: ListQuery) => trendingUrl(q);
  return (
    <Layout title={listing.page > 1 ? `Trending, page ${listing.page}` : 'Trending'} section="trending" canonical={href(query)} feeds={feedLinks('Trending papers', trendingFeedUrl)}>
      <header class="period-head">
        <h1>Trending</h1>
        <p class="lede">
          Papers ranked by upvotes weighed against age: ten times the upvotes count as much as two days of recency. Upvotes imported
          from Hugging Face and those of readers here count alike.
        </p>
        <p class="stats">{papersCount(listing.total)}</p>
      </header>
      <FilterBar
        choices={{
          action: trendingUrl(),
          query,
          sortable: false,
          categories: listing.categories,
          organizations: listing.organizations,
          without: (key, value) => href(withoutFilter(query, key, value)),
          cleared: href({}),
        }}
      />
      {listing.papers.length > 0 ? (
        <PaperList papers={listing.papers} start={(listing.page - 1) * PAGE_SIZE + 1} options={{ isNew }} />
      ) : (
        <EmptyList title="Nothing to show">
          <p>{listing.total === 0 && (query.cat || query.org || query.notcat || query.notorg) ? <a href={href({})}>Clear the filters</a> : 'This store has no papers yet.'}</p>
        </EmptyList>
      )}
      <Pager page={listing.page} pageCount={listing.pageCount} href={(page) => href({ ...query, page })} />
    </Layout>
  );
}
