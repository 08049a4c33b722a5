/** The search page: the form, what was found (counted, highlighted, paged) and how the query was read. */
import type { Facets, SearchListing } from '../../listings/listings.service.ts';
import type { Paper } from '../../papers/paper.ts';
import { feedLinks, searchFeedUrl } from '../feed-urls.ts';
import { PAGE_SIZE, type ListQuery, type SearchQuery, archiveUrl, searchUrl, trendingUrl } from '../urls.ts';
import { formatCount } from './format.ts';
import { Layout } from './layout.tsx';
import { ActiveFilters, withoutFilter } from './filter-parts.tsx';
import { EmptyList, Pager, PaperList } from './list-parts.tsx';
import { HideSeenSwitch } from './community-parts.tsx';
import { SearchForm, Syntax } from './search-form.tsx';

/** What the search page shows: the query and its choices, and results once there is something to search for. */
export interface SearchView {
  search: SearchQuery;
  query: ListQuery;
  results?: SearchListing;
  /** What the form offers to filter by. */
  facets: Facets;
  isNew: (paper: Paper) => boolean;
}

/** Renders the search page. */
export function searchPage({ search, query, results, facets, isNew }: SearchView) {
  const page = query.page ?? 1;
  const title = search.q ? `Search: ${search.q}${page > 1 ? `, page ${page}` : ''}` : 'Search';
  const feeds = search.q ? feedLinks(`Search: ${search.q}`, (f) => searchFeedUrl({ q: search.q, cat: query.cat, org: query.org }, f)) : undefined;
  return (
    <Layout title={title} section="search" feeds={feeds}>
      <h1 class="page-title">Search</h1>
      <SearchForm search={search} query={query} facets={facets} />
      <ActiveFilters query={query} organizations={facets.organizations} without={(key, value) => searchUrl(search, withoutFilter(query, key, value))} cleared={searchUrl(search)} />
      {results && <Results search={search} query={query} results={results} isNew={isNew} />}
      <Syntax />
    </Layout>
  );
}

function Results({ search, query, results, isNew }: { search: SearchQuery; query: ListQuery; results: SearchListing; isNew: (paper: Paper) => boolean }) {
  // The words that ran: the suggestion's, when it was applied because the words as written found nothing.
  const ran = results.suggestion?.applied ? results.suggestion.query : search.q;
  return (
    <>
      <Suggestion search={search} query={query} suggestion={results.suggestion} />
      {results.warnings.map((warning) => (
        <p class="notice" role="status">
          {warning}
        </p>
      ))}
      {results.noVectors && search.mode && search.mode !== 'keyword' && (
        <p class="notice" role="status">
          This store has no vectors yet, so these are keyword matches: meaning needs <code>paperboy embed</code> (a running server embeds new papers every few minutes).
        </p>
      )}
      {results.papers.length > 0 ? (
        <>
          <p class="stats" role="status">
            {results.closest ? (results.partial ? `No paper has every word of “${ran}”; the closest have some of them:` : `No papers match “${ran}”; the closest are:`) : `${matchCount(results)} “${ran}”`}
          </p>
          {results.partial && !results.closest && <p class="muted">No paper has every word of “{ran}”; these have some of them.</p>}
          <HideSeenSwitch />
          <PaperList papers={results.papers} start={(results.page - 1) * PAGE_SIZE + 1} options={{ isNew, terms: results.terms }} />
        </>
      ) : (
        <NoResults search={search} query={query} />
      )}
      <Pager page={results.page} pageCount={results.pageCount} known={results.pageCountKnown} href={(page) => searchUrl(search, { ...query, page })} />
    </>
  );
}

/** "1,284 papers match", "1 paper matches", "More than 10,000 papers match", or a lower bound when not counted. */
function matchCount(r: SearchListing): string {
  if (r.total === undefined) return `At least ${formatCount((r.page - 1) * PAGE_SIZE + r.papers.length)} papers match`;
  if (r.totalAtLeast) return `More than ${formatCount(r.total)} papers match`;
  return `${formatCount(r.total)} ${r.total === 1 ? 'paper matches' : 'papers match'}`;
}

/** A spelling from the store's vocabulary: applied (with the way back to the words as written), or offered. */
function Suggestion({ search, query, suggestion }: { search: SearchQuery; query: ListQuery; suggestion: SearchListing['suggestion'] }) {
  if (!suggestion) return null;
  const first = { ...query, page: 1 };
  if (suggestion.applied) {
    return (
      <p class="suggestion">
        Showing papers for <strong>“{suggestion.query}”</strong>: no paper has “{search.q}”.{' '}
        <a href={searchUrl({ ...search, literal: true }, first)}>Search for “{search.q}” as written</a>
      </p>
    );
  }
  return (
    <p class="suggestion">
      Did you mean <a href={searchUrl({ ...search, q: suggestion.query, literal: undefined }, first)}>“{suggestion.query}”</a>?
    </p>
  );
}

function NoResults({ search, query }: { search: SearchQuery; query: ListQuery }) {
  const filtered = Boolean(search.from || search.to || query.cat || query.notcat || query.org || query.notorg || query.author || query.notauthor);
  return (
    <EmptyList title={`No papers match “${search.q}”`}>
      <ul>
        {filtered && (
          <li>
            <a href={searchUrl({ q: search.q, mode: search.mode, sort: search.sort })}>Search again without the filters</a>
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
