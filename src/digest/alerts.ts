/**
 * Alert matching: which papers of the digest window an alert finds. An alert is a paper filter (src/filter/):
 * its saved search needs every word (never "some of them", as an interactive search may fall back to), its
 * category, organization and author fields mean what they mean on every list and in search (`cs` is the
 * archive, organizations by slug or name, authors by full name or surname), all within the window's listing
 * days. Identical alerts of different subscribers are matched once per run.
 */
import type { Db } from '../db/database.ts';
import { mergeFilters, type PaperFilter } from '../filter/paper-filter.ts';
import { filteredPaperIds } from '../filter/paper-filter.repo.ts';
import { queryFilter } from '../search/query.ts';
import type { AlertFields } from '../subscriptions/subscriptions.repo.ts';

/** Most matches of one alert looked at per window (a mail lists 10 and counts the rest). */
const MAX_MATCHES = 1000;

/** A one-line description of an alert, as the mail and the preferences page show it. */
export function alertLabel(a: AlertFields): string {
  const parts: string[] = [];
  if (a.query) parts.push(`“${a.query}”`);
  if (a.category) parts.push(`in ${a.category}`);
  if (a.author) parts.push(`by ${a.author}`);
  if (a.organization) parts.push(`from ${a.organization}`);
  return parts.join(' ');
}

/** The papers an alert selects: its query's words (all of them) and operators, and its filter fields. */
export function alertFilter(a: AlertFields): PaperFilter {
  const fields: PaperFilter = {
    ...(a.category ? { categories: [a.category] } : {}),
    ...(a.organization ? { organizations: [a.organization] } : {}),
    ...(a.author ? { authors: [a.author] } : {}),
  };
  return a.query ? mergeFilters(queryFilter(a.query), fields) : fields;
}

/**
 * The search-page query that selects what `alertFilter` selects: the fields as operators (`cat:`, `org:`,
 * `author:"…"`, which the query parser reads into the same filter fields), then the saved search as typed —
 * last, so an unbalanced quote in it cannot swallow an operator.
 */
export function alertSearchQuery(a: AlertFields): string {
  const operator = (field: string, value: string) => {
    const v = value.replace(/"/g, '').trim();
    return /\s/.test(v) ? `${field}:"${v}"` : `${field}:${v}`;
  };
  const parts = [a.category && operator('cat', a.category), a.organization && operator('org', a.organization), a.author && operator('author', a.author), a.query?.trim()];
  return parts.filter(Boolean).join(' ');
}

/** Matches alerts against the papers of one digest window, caching by alert content. */
export class AlertMatcher {
  private readonly cache = new Map<string, Promise<number[]>>();
  private readonly rank: Map<number, number>;

  /** `rankedIds` are the papers listed from `window.from` to `window.to`, hottest first; matches come back in that order. */
  constructor(
    private readonly db: Db,
    rankedIds: number[],
    private readonly window: { from: string; to: string },
  ) {
    this.rank = new Map(rankedIds.map((id, i) => [id, i]));
  }

  /** The window's papers this alert matches, hottest first. */
  match(alert: AlertFields): Promise<number[]> {
    const key = JSON.stringify(alertFilter(alert));
    let result = this.cache.get(key);
    if (!result) {
      result = this.compute(alert);
      this.cache.set(key, result);
    }
    return result;
  }

  /** How many distinct alerts were matched. */
  get distinctAlerts(): number {
    return this.cache.size;
  }

  private async compute(alert: AlertFields): Promise<number[]> {
    const filter = mergeFilters(alertFilter(alert), { since: this.window.from, until: this.window.to });
    const ids = await filteredPaperIds(this.db, filter, 'hotness', MAX_MATCHES);
    return ids.filter((id) => this.rank.has(id)).sort((a, b) => this.rank.get(a)! - this.rank.get(b)!);
  }
}
