/** The filter controls of the paper lists and the search page: facet selects and checkboxes, removable chips, the sort-and-filter bar. */
import type { Facet } from '../../listings/listings.repo.ts';
import type { ListQuery } from '../urls.ts';
import { formatCount } from './format.ts';
import { FollowButton, HideSeenSwitch } from './community-parts.tsx';

/** What the sort-and-filter form offers. */
export interface FilterChoices {
  action: string;
  query: ListQuery;
  sortable: boolean;
  categories: Facet[];
  organizations: Facet[];
  /** Removes one filter value: the URL of the same list without it. */
  without: (key: ChipKey, value: string) => string;
  /** The URL of the list with no filters. */
  cleared: string;
}

const SORT_LABELS = { trending: 'Trending', upvotes: 'Most upvoted', newest: 'Newest' };
const FILTER_LABELS = { cat: 'Category', notcat: 'Not category', org: 'Organization', notorg: 'Not organization' };

/** The filter keys a chip can show and remove. */
export type ChipKey = keyof typeof FILTER_LABELS;

/** The facets, plus chosen values that are not among them (a value chosen through a link), so they stay selectable. */
function withSelected(facets: Facet[], selected: string[]): Facet[] {
  return [...facets, ...selected.filter((v) => !facets.some((f) => f.value === v)).map((v) => ({ value: v, label: v, count: -1 }))];
}

const facetLabel = (f: Facet) => (f.count >= 0 ? `${f.label} (${formatCount(f.count)})` : f.label);

/** A one-value filter as a select of the facets ("Any" first); further chosen values ride along as hidden fields. */
export function FacetSelect({ name, label, facets, selected }: { name: string; label: string; facets: Facet[]; selected: string[] }) {
  return (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name}>
        <option value="">Any</option>
        {withSelected(facets, selected).map((f) => (
          <option value={f.value} selected={selected[0] === f.value}>
            {facetLabel(f)}
          </option>
        ))}
      </select>
      {selected.slice(1).map((value) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </div>
  );
}

/** A filter that takes several values at once: a checkbox per facet (`cat=cs.CV&cat=cs.RO`). */
export function FacetChecks({ name, legend, facets, selected }: { name: string; legend: string; facets: Facet[]; selected: string[] }) {
  return (
    <fieldset class="checks">
      <legend>{legend}</legend>
      <div class="check-list">
        {withSelected(facets, selected).map((f) => (
          <label>
            <input type="checkbox" name={name} value={f.value} checked={selected.includes(f.value)} /> {facetLabel(f)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The active filters as chips, each a link to the same list without it, and "Clear all". */
export function ActiveFilters({ query, organizations, without, cleared }: { query: ListQuery; organizations: Facet[]; without: (key: ChipKey, value: string) => string; cleared: string }) {
  const active = (['cat', 'notcat', 'org', 'notorg'] as const).flatMap((key) => (query[key] ?? []).map((value) => ({ key, value })));
  if (active.length === 0) return null;
  // The facets carry the chosen organizations under their names (listings.service.ts#listFacets).
  const shown = (key: ChipKey, value: string) => (key.endsWith('org') ? (organizations.find((o) => o.value === value)?.label ?? value) : value);
  return (
    <ul class="active-filters" aria-label="Active filters">
      {active.map(({ key, value }) => (
        <li>
          <a href={without(key, value)} aria-label={`Remove filter ${FILTER_LABELS[key]}: ${shown(key, value)}`}>
            {FILTER_LABELS[key]}: {shown(key, value)} <span aria-hidden="true">×</span>
          </a>
          {/* A list filtered by a category is that category's page: the place to follow it. */}
          {key === 'cat' && <FollowButton target={{ category: value }} />}
        </li>
      ))}
      <li>
        <a href={cleared}>Clear all</a>
      </li>
    </ul>
  );
}

/** The sort and filter form (a plain GET form), with the active filters as removable chips. */
export function FilterBar({ choices }: { choices: FilterChoices }) {
  const { query } = choices;
  return (
    <section class="filters" aria-label="Sort and filter">
      <form method="get" action={choices.action}>
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
        {/* A reader hiding what they have seen keeps hiding it when changing the filters. */}
        {query.hide && <input type="hidden" name="hide" value={query.hide} />}
        <button type="submit">Apply</button>
      </form>
      <ActiveFilters query={query} organizations={choices.organizations} without={choices.without} cleared={choices.cleared} />
      <HideSeenSwitch />
    </section>
  );
}

/** The same list query without one filter value, back on page 1. */
export function withoutFilter(q: ListQuery, key: ChipKey, value: string): ListQuery {
  return { ...q, page: 1, [key]: (q[key] ?? []).filter((v) => v !== value) };
}
