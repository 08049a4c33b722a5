/** The search page: one box, filters, highlighted results, and how the query is read. */
import type { searchListing } from '../../listings/listings.service.ts';
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
  results?: Awaited<ReturnType<typeof searchListing>>;
  isNew: (paper: Paper) => boolean;
}

/** Renders the search page. */
export function searchPage({ search, query, results, isNew }: SearchView) {
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
        {(['cat', 'notcat', 'org', 'notorg', 'author', 'notauthor'] as const).flatMap((key) => (query[key] ?? []).map((value) => <input type="hidden" name={key} value={value} />))}
        {search.mode && <input type="hidden" name="mode" value={search.mode} />}
        <button type="submit">Search</button>
      </form>
      {results && (
        <>
          <p class="stats" role="status">
            {results.total === undefined
              ? `More than ${formatCount(results.page * PAGE_SIZE)} papers match`
              : `${formatCount(results.total)} ${results.total === 1 ? 'paper matches' : 'papers match'}`}{' '}
            “{search.q}”
          </p>
          {results.partial && <p class="muted">No paper has every word of “{search.q}”; these have some of them.</p>}
          {results.warnings.length > 0 && <p class="muted">Ignored, not understood: {results.warnings.join(', ')}</p>}
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
            <PaperList papers={results.papers} start={(results.page - 1) * PAGE_SIZE + 1} options={{ isNew, terms: results.terms }} />
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
  const filtered = Boolean(search.from || search.to || query.cat || query.notcat || query.org || query.notorg || query.author || query.notauthor);
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
  const rows: [string, string][] = [
    ['diffusion transformer', 'A few words: papers with every word — in the title, abstract or author names — rank first, by keyword relevance and, where the store has vectors, by meaning.'],
    ['a longer description of what you look for', 'Five words or more: papers with any of the words (and similar meaning) — paste a sentence or an abstract.'],
    ['"masked autoencoder"', 'Quotes: the exact phrase.'],
    ['-survey  -"position paper"', 'A minus: leave out papers with that word or phrase.'],
    ['author:lecun  author:"Yann LeCun"', 'Papers by an author (full name or surname).'],
    ['cat:cs.LG  cat:cs  org:meta', 'A category (or a whole archive) and an organization; put a minus in front to exclude.'],
    ['year:2025  since:2025-06  until:2026-01-15', 'Listing dates, like the date fields above.'],
    ['2401.01234', 'An arXiv id finds that paper.'],
  ];
  return (
    <section class="syntax" id="syntax" aria-labelledby="syntax-title">
      <h2 id="syntax-title">How search reads your query</h2>
      <dl>
        {rows.map(([example, meaning]) => (
          <>
            <dt>
              <code>{example}</code>
            </dt>
            <dd>{meaning}</dd>
          </>
        ))}
      </dl>
      <p class="muted">Words match by their stem, ignoring case and accents: “models” finds “model”.</p>
    </section>
  );
}
