/** The search page: one box, filters, highlighted results, and how the query is read. */
import type { searchListing } from '../../listings/listings.service.ts';
import { MAX_SEARCH_HITS } from '../../listings/listings.service.ts';
import type { Paper } from '../../papers/paper.ts';
import { PAGE_SIZE, type ListQuery, type SearchQuery, archiveUrl, searchUrl, trendingUrl } from '../urls.ts';
import { formatCount } from './format.ts';
import { Layout } from './layout.tsx';
import { feedLinks, searchFeedUrl } from '../feed-urls.ts';
import { EmptyList, FilterBar, Pager, PaperList, withoutFilter } from './list-parts.tsx';

/** What the search page shows: the query, and results once there is something to search for. */
export interface SearchView {
  search: SearchQuery;
  query: ListQuery;
  terms: string[];
  results?: Awaited<ReturnType<typeof searchListing>>;
  isNew: (paper: Paper) => boolean;
}

/** Renders the search page. */
export function searchPage({ search, query, terms, results, isNew }: SearchView) {
  const href = (q: ListQuery) => searchUrl(search, q);
  return (
    <Layout title={search.q ? `Search: ${search.q}` : 'Search'} section="search" feeds={search.q ? feedLinks(`Search: ${search.q}`, (f) => searchFeedUrl({ q: search.q, cat: query.cat, org: query.org }, f)) : undefined}>
      <h1 class="page-title">Search</h1>
      <form class="search-form" role="search" method="get" action="/search">
        <div class="field grow">
          <label for="q">Words to find in titles, abstracts and authors</label>
          <input type="search" id="q" name="q" value={search.q} required aria-describedby="syntax" />
        </div>
        <div class="field">
          <label for="from">Listed from</label>
          <input type="date" id="from" name="from" value={search.from} />
        </div>
        <div class="field">
          <label for="to">Listed until</label>
          <input type="date" id="to" name="to" value={search.to} />
        </div>
        {(['cat', 'notcat', 'org', 'notorg'] as const).flatMap((key) => (query[key] ?? []).map((value) => <input type="hidden" name={key} value={value} />))}
        <button type="submit">Search</button>
      </form>
      {results && (
        <>
          <p class="stats" role="status">
            {formatCount(results.total)} {results.total === 1 ? 'paper matches' : 'papers match'} “{search.q}”
            {results.capped && ` (the best ${MAX_SEARCH_HITS} matches are shown; add words to narrow it down)`}
          </p>
          <FilterBar
            choices={{
              action: '/search',
              query,
              sortable: false,
              categories: results.categories,
              organizations: results.organizations,
              without: (key, value) => href(withoutFilter(query, key, value)),
              cleared: searchUrl(search),
              hidden: [
                ['q', search.q],
                ['from', search.from],
                ['to', search.to],
              ],
            }}
          />
          {results.papers.length > 0 ? (
            <PaperList papers={results.papers} start={(results.page - 1) * PAGE_SIZE + 1} options={{ isNew, terms }} />
          ) : (
            <NoResults search={search} query={query} />
          )}
          <Pager page={results.page} pageCount={results.pageCount} href={(page) => href({ ...query, page })} />
        </>
      )}
      <Syntax />
    </Layout>
  );
}

function NoResults({ search, query }: { search: SearchQuery; query: ListQuery }) {
  const filtered = Boolean(search.from || search.to || query.cat || query.notcat || query.org || query.notorg);
  return (
    <EmptyList title={`No papers match “${search.q}”`}>
      <ul>
        {filtered && (
          <li>
            <a href={searchUrl({ q: search.q })}>Search again without the filters</a>
          </li>
        )}
        <li>Check the spelling, or use fewer words: with a few words, papers must contain every one.</li>
        <li>Use a more general word (“segmentation” rather than “panoptic-segmentation”).</li>
        <li>
          Or browse: <a href={trendingUrl()}>trending papers</a>, <a href={archiveUrl()}>the archive</a>.
        </li>
      </ul>
    </EmptyList>
  );
}

function Syntax() {
  return (
    <section class="syntax" id="syntax" aria-labelledby="syntax-title">
      <h2 id="syntax-title">How search reads your query</h2>
      <dl>
        <dt>
          <code>diffusion transformer</code>
        </dt>
        <dd>A few words: papers with every word — in the title, abstract or author names — rank first (title matches count double).</dd>
        <dt>
          <code>a longer description of what you look for</code>
        </dt>
        <dd>Five words or more: papers with any of the words, ranked by how many they share and how rare those are — paste a sentence or an abstract.</dd>
        <dt>
          <code>models</code> finds <code>model</code>
        </dt>
        <dd>Words are matched by their stem, ignoring case and accents.</dd>
        <dt>Filters</dt>
        <dd>The listing dates, category and organization fields narrow the best {MAX_SEARCH_HITS} matches.</dd>
      </dl>
    </section>
  );
}
