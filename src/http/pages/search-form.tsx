/** The search page's form (a plain GET form: words, mode, order, dates, categories, organizations) and its syntax help. */
import type { Facets } from '../../listings/listings.service.ts';
import type { ListQuery, SearchQuery } from '../urls.ts';
import { FacetChecks, FacetSelect } from './filter-parts.tsx';

// An empty value is the default (hybrid, relevance), which the page's URLs leave out.
const MODES: [string, string][] = [
  ['', 'Words + meaning'],
  ['keyword', 'Words only'],
  ['semantic', 'Meaning only'],
];
const SORTS: [string, string][] = [
  ['', 'Relevance'],
  ['newest', 'Newest first'],
  ['upvotes', 'Most upvoted'],
];

function Choice({ id, name, label, value, options }: { id: string; name: string; label: string; value: string; options: [string, string][] }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name}>
        {options.map(([v, text]) => (
          <option value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The search form. Categories and organizations fold away (a `<details>`, open while any is chosen); several
 * categories may be ticked at once. Author filters, which only links set, ride along as hidden fields.
 */
export function SearchForm({ search, query, facets }: { search: SearchQuery; query: ListQuery; facets: Facets }) {
  const chosen = (['cat', 'notcat', 'org', 'notorg'] as const).reduce((n, key) => n + (query[key]?.length ?? 0), 0);
  const organizations = facets.organizations.length > 0 || Boolean(query.org?.length || query.notorg?.length);
  return (
    <form class="search-form" role="search" method="get" action="/search">
      <div class="search-row">
        <div class="field grow">
          <label for="q">Words to find in titles, abstracts and authors</label>
          <input type="search" id="q" name="q" value={search.q} required aria-describedby="syntax" />
        </div>
        <button type="submit">Search</button>
      </div>
      <div class="search-options">
        <Choice id="s-mode" name="mode" label="Match" value={search.mode === 'hybrid' ? '' : (search.mode ?? '')} options={MODES} />
        <Choice id="s-sort" name="sort" label="Order" value={search.sort === 'relevance' ? '' : (search.sort ?? '')} options={SORTS} />
        <div class="field">
          <label for="from">Listed from</label>
          <input type="date" id="from" name="from" value={search.from} />
        </div>
        <div class="field">
          <label for="to">Listed until</label>
          <input type="date" id="to" name="to" value={search.to} />
        </div>
      </div>
      <details class="search-filters" open={chosen > 0}>
        <summary>Categories and organizations{chosen > 0 ? ` (${chosen} chosen)` : ''}</summary>
        <FacetChecks name="cat" legend="In any of these categories" facets={facets.categories} selected={query.cat ?? []} />
        <div class="search-options">
          <FacetSelect name="notcat" label="Hide category" facets={facets.categories} selected={query.notcat ?? []} />
          {organizations && (
            <>
              <FacetSelect name="org" label="Organization" facets={facets.organizations} selected={query.org ?? []} />
              <FacetSelect name="notorg" label="Hide organization" facets={facets.organizations} selected={query.notorg ?? []} />
            </>
          )}
          <button type="submit">Apply</button>
        </div>
      </details>
      {(['author', 'notauthor'] as const).flatMap((key) => (query[key] ?? []).map((value) => <input type="hidden" name={key} value={value} />))}
      {query.hide && <input type="hidden" name="hide" value={query.hide} />}
    </form>
  );
}

const SYNTAX: [string, string][] = [
  ['diffusion transformer', 'A few words: papers with every word — in the title, abstract or author names — rank first, by keyword relevance and, where the store has vectors, by meaning.'],
  ['a longer description of what you look for', 'Five words or more: papers with any of the words (and similar meaning) — paste a sentence or an abstract.'],
  ['"masked autoencoder"', 'Quotes: the exact phrase.'],
  ['-survey  -"position paper"', 'A minus: leave out papers with that word or phrase.'],
  ['title:diffusion  abstract:"image synthesis"', 'Words or a phrase in the title only, or in the abstract only.'],
  ['author:lecun  author:"Yann LeCun"', 'Papers by an author (full name or surname).'],
  ['cat:cs.LG  cat:cs  org:meta', 'A category (or a whole archive) and an organization; put a minus in front to exclude.'],
  ['year:2025  since:2025-06  until:2026-01-15', 'Listing dates, like the date fields above.'],
  ['2401.01234', 'An arXiv id finds that paper.'],
];

/** How search reads a query: the syntax, by example. */
export function Syntax() {
  return (
    <section class="syntax" id="syntax" aria-labelledby="syntax-title">
      <h2 id="syntax-title">How search reads your query</h2>
      <dl>
        {SYNTAX.map(([example, meaning]) => (
          <>
            <dt>
              <code>{example}</code>
            </dt>
            <dd>{meaning}</dd>
          </>
        ))}
      </dl>
      <p class="muted">
        Words match by their stem, ignoring case and accents: “models” finds “model”. Any other word before a colon (<code>venue:neurips</code>) is
        searched as words, and the page says so.
      </p>
    </section>
  );
}
