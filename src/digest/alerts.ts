/**
 * Alert matching: which papers of the digest window an alert finds. A saved search goes through the keyword
 * index (the same engine and query syntax as /search), restricted to the window's listing days so only a
 * few dozen hits are ranked; category, organization and author filters are checked against the window's
 * papers in memory. Identical alerts of different subscribers are matched once per run.
 */
import type { Db } from '../db/database.ts';
import { normalizeAuthorName } from '../papers/normalize.ts';
import { keywordIndexFor } from '../search/keyword-index.ts';
import type { AlertFields } from '../subscriptions/subscriptions.repo.ts';
import type { windowPaperFacts } from './digest.repo.ts';


/** A one-line description of an alert, as the mail and the preferences page show it. */
export function alertLabel(a: AlertFields): string {
  const parts: string[] = [];
  if (a.query) parts.push(`“${a.query}”`);
  if (a.category) parts.push(`in ${a.category}`);
  if (a.author) parts.push(`by ${a.author}`);
  if (a.organization) parts.push(`from ${a.organization}`);
  return parts.join(' ');
}

/** Matches alerts against the papers of one digest window, caching by alert content. */
export class AlertMatcher {
  private readonly cache = new Map<string, Promise<number[]>>();
  private readonly rank: Map<number, number>;
  private readonly orgOf = new Map<number, string | null>();
  private readonly categoriesOf = new Map<number, Set<string>>();
  private readonly authorsOf = new Map<number, Set<string>>();

  /** `rankedIds` are the papers listed from `window.from` to `window.to`, hottest first; matches come back in that order. */
  constructor(
    private readonly db: Db,
    rankedIds: number[],
    facts: Awaited<ReturnType<typeof windowPaperFacts>>,
    private readonly window: { from: string; to: string },
  ) {
    this.rank = new Map(rankedIds.map((id, i) => [id, i]));
    for (const p of facts.papers) this.orgOf.set(p.id, p.org);
    for (const c of facts.categories) (this.categoriesOf.get(c.paper_id) ?? this.categoriesOf.set(c.paper_id, new Set()).get(c.paper_id)!).add(c.category.toLowerCase());
    for (const a of facts.authors) (this.authorsOf.get(a.paper_id) ?? this.authorsOf.set(a.paper_id, new Set()).get(a.paper_id)!).add(a.name_norm);
  }

  /** The window's papers this alert matches, hottest first. */
  match(alert: AlertFields): Promise<number[]> {
    const key = JSON.stringify([alert.query?.toLowerCase() ?? null, alert.category?.toLowerCase() ?? null, alert.organization?.toLowerCase() ?? null, alert.author ? normalizeAuthorName(alert.author) : null]);
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
    let ids = [...this.rank.keys()];
    if (alert.query) {
      const hits = await keywordIndexFor(this.db.dialect).search(this.db.kysely, alert.query, Math.max(1, this.rank.size), {
        filters: { since: this.window.from, until: this.window.to },
        useTermIndex: false,
      });
      const found = new Set(hits.map((h) => h.id));
      ids = ids.filter((id) => found.has(id));
    }
    if (alert.category) {
      const category = alert.category.toLowerCase();
      ids = ids.filter((id) => this.categoriesOf.get(id)?.has(category));
    }
    if (alert.organization) {
      const org = alert.organization.toLowerCase();
      ids = ids.filter((id) => this.orgOf.get(id)?.toLowerCase() === org);
    }
    if (alert.author) {
      const author = normalizeAuthorName(alert.author);
      ids = ids.filter((id) => this.authorsOf.get(id)?.has(author));
    }
    return ids;
  }
}
