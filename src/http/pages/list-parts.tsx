/** Pieces of every paper list: an item, the list, numbered pages, the sort-and-filter form. */
import type { Child } from 'hono/jsx';
import type { Facet } from '../../listings/listings.repo.ts';
import type { Paper } from '../../papers/paper.ts';
import { type ListQuery, authorUrl, orgUrl, paperUrl, safeExternalUrl } from '../urls.ts';
import { excerpt, formatCount } from './format.ts';
import { Highlight } from './highlight.tsx';
import { Day, ExternalLink, Upvotes } from './parts.tsx';

/** The first authors as links to their pages, then "et al." or a count when that is all that is known. */
export function AuthorLinks({ paper, shown = 4 }: { paper: Pick<Paper, 'authors' | 'authorCount'>; shown?: number }) {
  const total = Math.max(paper.authors.length, paper.authorCount ?? 0);
  if (paper.authors.length === 0) return total > 0 ? <>{`${total} ${total === 1 ? 'author' : 'authors'}`}</> : null;
  const head = paper.authors.slice(0, shown);
  return (
    <>
      {head.map((a, i) => (
        <>
          {i > 0 && ', '}
          <a href={authorUrl(a)}>{a.name}</a>
        </>
      ))}
      {total > head.length && ' et al.'}
    </>
  );
}

/** What one list item shows besides the paper: the "new" badge and the words to highlight. */
export interface ItemOptions {
  isNew?: (paper: Paper) => boolean;
  terms?: string[];
}

/** One paper in a list. */
export function PaperItem({ paper, options = {} }: { paper: Paper; options?: ItemOptions }) {
  const code = safeExternalUrl(paper.links.code);
  return (
    <li class="paper-item">
      <h2>
        <a href={paperUrl(paper)}>
          <Highlight text={paper.title} terms={options.terms} />
        </a>
        {options.isNew?.(paper) && <span class="badge">New</span>}
      </h2>
      <p class="authors">
        <AuthorLinks paper={paper} />
      </p>
      <ul class="meta">
        <li>
          <Upvotes count={paper.upvotes} />
        </li>
        {paper.organization && (
          <li>
            <a href={orgUrl(paper.organization)}>{paper.organization.name}</a>
          </li>
        )}
        {paper.announcedOn && (
          <li>
            <Day value={paper.announcedOn} />
          </li>
        )}
        {paper.primaryCategory && (
          <li>
            <span class="chip">{paper.primaryCategory}</span>
          </li>
        )}
        {code && (
          <li>
            <ExternalLink href={code}>Code</ExternalLink>
          </li>
        )}
      </ul>
      {paper.abstract && (
        <p class="summary">
          <Highlight text={excerpt(paper.abstract)} terms={options.terms} />
        </p>
      )}
    </li>
  );
}

/** A numbered list of papers; numbering continues across pages. */
export function PaperList({ papers, start, options }: { papers: Paper[]; start: number; options?: ItemOptions }) {
  return (
    <ol class="paper-list" start={start}>
      {papers.map((paper) => (
        <PaperItem paper={paper} options={options} />
      ))}
    </ol>
  );
}

/** The page numbers worth showing: the first, the last, and two either side of the current one. */
export function pageWindow(page: number, pageCount: number): (number | '…')[] {
  const pages: (number | '…')[] = [];
  for (let p = 1; p <= pageCount; p++) {
    if (p === 1 || p === pageCount || Math.abs(p - page) <= 2) pages.push(p);
    else if (pages.at(-1) !== '…') pages.push('…');
  }
  return pages;
}

/** Previous/next and numbered page links. */
export function Pager({ page, pageCount, href }: { page: number; pageCount: number; href: (page: number) => string }) {
  if (pageCount <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          ← Previous
        </a>
      ) : (
        <span class="spacer" />
      )}
      <ol class="pages">
        {pageWindow(page, pageCount).map((p) =>
          p === '…' ? (
            <li class="gap" aria-hidden="true">…</li>
          ) : (
            <li>
              {p === page ? (
                <a href={href(p)} aria-current="page" aria-label={`Page ${p}, current`}>
                  {formatCount(p)}
                </a>
              ) : (
                <a href={href(p)} aria-label={`Page ${p}`}>
                  {formatCount(p)}
                </a>
              )}
            </li>
          ),
        )}
      </ol>
      {page < pageCount ? (
        <a href={href(page + 1)} rel="next">
          Next →
        </a>
      ) : (
        <span class="spacer" />
      )}
    </nav>
  );
}

/** What the sort-and-filter form offers. */
export interface FilterChoices {
  action: string;
  query: ListQuery;
  sortable: boolean;
  categories: Facet[];
  organizations: Facet[];
  /** Removes one filter value: the URL of the same list without it. */
  without: (key: 'cat' | 'notcat' | 'org' | 'notorg', value: string) => string;
  /** The URL of the list with no filters. */
  cleared: string;
  /** Extra fields the form must carry along (the search query). */
  hidden?: [string, string | undefined][];
}

const SORT_LABELS = { trending: 'Trending', upvotes: 'Most upvoted', newest: 'Newest' };
const FILTER_LABELS = { cat: 'Category', notcat: 'Not category', org: 'Organization', notorg: 'Not organization' };

function FacetSelect({ name, label, facets, selected }: { name: string; label: string; facets: Facet[]; selected: string[] }) {
  // A value chosen through a link may not be among the top facets; keep it selectable.
  const extra = selected.filter((v) => !facets.some((f) => f.value === v)).map((v) => ({ value: v, label: v, count: -1 }));
  return (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name}>
        <option value="">Any</option>
        {[...facets, ...extra].map((f) => (
          <option value={f.value} selected={selected[0] === f.value}>
            {f.count >= 0 ? `${f.label} (${formatCount(f.count)})` : f.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The sort and filter form (a plain GET form), with the active filters as removable chips. */
export function FilterBar({ choices }: { choices: FilterChoices }) {
  const { query } = choices;
  const active = (['cat', 'notcat', 'org', 'notorg'] as const).flatMap((key) => (query[key] ?? []).map((value) => ({ key, value })));
  const orgName = (slug: string) => choices.organizations.find((o) => o.value === slug)?.label ?? slug;
  return (
    <section class="filters" aria-label="Sort and filter">
      <form method="get" action={choices.action}>
        {(choices.hidden ?? []).map(([name, value]) => value && <input type="hidden" name={name} value={value} />)}
        {/* Values beyond the first of a repeated filter ride along, so applying the form keeps them. */}
        {active.filter((a, i) => active.findIndex((b) => b.key === a.key) !== i).map((a) => <input type="hidden" name={a.key} value={a.value} />)}
        {choices.sortable && (
          <div class="field">
            <label for="f-sort">Sort</label>
            <select id="f-sort" name="sort">
              {(['trending', 'upvotes', 'newest'] as const).map((s) => (
                <option value={s} selected={(query.sort ?? 'trending') === s}>
                  {SORT_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
        )}
        <FacetSelect name="cat" label="Category" facets={choices.categories} selected={query.cat ?? []} />
        <FacetSelect name="notcat" label="Hide category" facets={choices.categories} selected={query.notcat ?? []} />
        {(choices.organizations.length > 0 || query.org || query.notorg) && (
          <>
            <FacetSelect name="org" label="Organization" facets={choices.organizations} selected={query.org ?? []} />
            <FacetSelect name="notorg" label="Hide organization" facets={choices.organizations} selected={query.notorg ?? []} />
          </>
        )}
        <button type="submit">Apply</button>
      </form>
      {active.length > 0 && (
        <ul class="active-filters" aria-label="Active filters">
          {active.map(({ key, value }) => (
            <li>
              <a href={choices.without(key, value)} aria-label={`Remove filter ${FILTER_LABELS[key]}: ${value}`}>
                {FILTER_LABELS[key]}: {key.endsWith('org') ? orgName(value) : value} <span aria-hidden="true">×</span>
              </a>
            </li>
          ))}
          <li>
            <a href={choices.cleared}>Clear all</a>
          </li>
        </ul>
      )}
    </section>
  );
}

/** A boxed message for a list with nothing in it. */
export function EmptyList({ title, children }: { title: string; children?: Child }) {
  return (
    <section class="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">{title}</h2>
      {children}
    </section>
  );
}

/** The same list query without one filter value, back on page 1. */
export function withoutFilter(q: ListQuery, key: 'cat' | 'notcat' | 'org' | 'notorg', value: string): ListQuery {
  return { ...q, page: 1, [key]: (q[key] ?? []).filter((v) => v !== value) };
}
