/**
 * Composing a digest when it is sent. prepare.ts queues a placeholder per subscriber (the day only, due at
 * their digest hour); the delivery pass that claims it composes it here from what is known at that moment:
 * the window's papers ranked by their hotness now, the subscriber's alerts and preferences now, minus every
 * paper they received already. The composed payload and the papers it carries (`digest_received`) are
 * written in one transaction while the claim's lease holds, so a retry or a takeover after a crash sends
 * what was composed, and the `digest_received` key decides between two digests of one subscriber composed
 * at the same moment: no paper is sent to anyone twice, across days or sections.
 */
import { digestRecommender } from '../recommend/digest-section.ts';
import type { DigestConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { addDays } from '../listings/period.ts';
import * as outbox from '../mail/outbox.repo.ts';
import type { AlertFields, AlertRow, SubscriberRow } from '../subscriptions/subscriptions.repo.ts';
import { AlertMatcher, alertLabel } from './alerts.ts';
import * as repo from './digest.repo.ts';
import { filteredPaperIds } from '../filter/paper-filter.repo.ts';

/** Most papers listed under one alert in one mail (the rest are counted, with a link to see them). */
export const MAX_PER_ALERT = 10;
const WINDOW_LIMIT = 50_000;
/** A placeholder still not composed this many days after it came due is stale news: cancelled, not sent. */
export const STALE_AFTER_DAYS = 3;
/**
 * How long beyond its window a received paper is remembered. A digest is composed at most STALE_AFTER_DAYS
 * after it came due (and retries move that by under a day), so no digest still to be composed can need a
 * row this old — see prepare.ts, which prunes.
 */
export const RECEIVED_GRACE_DAYS = 7;

/** A digest message before it is composed: only its day. */
export interface DigestPlaceholder {
  day: string;
}

/** A composed digest: the papers it lists, by id; rendered at send time (digest-mail.tsx). */
export interface DigestPayload {
  day: string;
  /** The window's first listing day (digests composed before it was recorded lack it). */
  from?: string;
  alerts: {
    alertId: number;
    label: string;
    ids: number[];
    /** Matches not listed (past MAX_PER_ALERT). */
    more: number;
    query: string | null;
    category: string | null;
    organization: string | null;
    author?: string | null;
  }[];
  top: number[];
  /** "Recommended for you" (issue 10): for subscribers with an account, each paper with its reason in words. */
  recommended?: { id: number; why: string }[];
  composedAt?: string;
}

/** Whether a digest payload is composed; a placeholder has no lists yet. */
export function isComposed(payload: DigestPlaceholder | DigestPayload): payload is DigestPayload {
  return Array.isArray((payload as DigestPayload).top);
}

/** Every paper a composed digest lists. */
export function digestPaperIds(payload: DigestPayload): number[] {
  return [...payload.alerts.flatMap((a) => a.ids), ...(payload.recommended ?? []).map((r) => r.id), ...payload.top];
}

/** A digest window as known at one moment: its papers hottest first, and which of them an alert matches. */
export interface DigestWindow {
  day: string;
  from: string;
  ranked: number[];
  /** The window's papers the alert matches, hottest first. */
  match(alert: AlertFields): Promise<number[]>;
}

/** Ranks the window's papers for a subscriber's account, leaving out `taken` (recommend/digest-section.ts). */
export type RecommendSection = (window: { from: string; day: string }, taken: ReadonlySet<number>) => Promise<{ id: number; why: string }[]>;

/**
 * One subscriber's digest from a window and what they received already; undefined when it would be empty.
 * Sections never repeat a paper: alerts first, then "Recommended for you", then the trending papers.
 */
export async function digestFor(sub: SubscriberRow, alerts: AlertRow[], window: DigestWindow, received: Set<number>, recommend?: RecommendSection): Promise<DigestPayload | undefined> {
  const taken = new Set(received);
  const sections: DigestPayload['alerts'] = [];
  for (const alert of alerts) {
    const fresh = (await window.match(alert)).filter((id) => !taken.has(id));
    if (fresh.length === 0) continue;
    const ids = fresh.slice(0, MAX_PER_ALERT);
    for (const id of ids) taken.add(id);
    sections.push({ alertId: alert.id, label: alertLabel(alert), ids, more: fresh.length - ids.length, query: alert.query, category: alert.category, organization: alert.organization, author: alert.author });
  }
  const recommended = recommend ? (await recommend({ from: window.from, day: window.day }, taken)).filter((r) => !taken.has(r.id)) : [];
  for (const r of recommended) taken.add(r.id);
  const top: number[] = [];
  if (sub.digest_enabled) {
    for (const id of window.ranked) {
      if (top.length >= sub.digest_size) break;
      if (!taken.has(id)) top.push(id);
    }
  }
  if (top.length === 0 && sections.length === 0 && recommended.length === 0) return undefined;
  return { day: window.day, from: window.from, alerts: sections, top, ...(recommended.length ? { recommended } : {}) };
}

// Alert matches outlive a delivery pass while the window's papers are unchanged (repo.windowFingerprint): the
// passes at each time zone's digest hour then match each distinct alert once, as one pass for everyone did.
const matchers = new WeakMap<object, Map<string, { fingerprint: string; matcher: AlertMatcher }>>();
const MATCHER_DAYS_KEPT = 8;

/** Alerts matched at once while a batch is composed: hides the database's latency (PostgreSQL runs them in parallel). */
const MATCH_CONCURRENCY = 4;

async function readWindow(db: Db, config: DigestConfig, day: string, forget: () => void): Promise<DigestWindow> {
  const from = addDays(day, -(config.windowDays - 1));
  // The window is the paper filter's listing-day range, hottest first: the same selection a list of those days makes.
  const ranked = await filteredPaperIds(db, { since: from, until: day }, 'hotness', WINDOW_LIMIT);
  const fingerprint = await repo.windowFingerprint(db.kysely, from, day);
  let byDay = matchers.get(db.kysely);
  if (!byDay) matchers.set(db.kysely, (byDay = new Map()));
  let cached = byDay.get(day);
  if (cached?.fingerprint !== fingerprint) {
    cached = { fingerprint, matcher: new AlertMatcher(db, ranked, { from, to: day }) };
    byDay.delete(day);
    byDay.set(day, cached);
    for (const old of [...byDay.keys()].slice(0, Math.max(0, byDay.size - MATCHER_DAYS_KEPT))) byDay.delete(old);
  }
  const { matcher } = cached;
  // A reused matcher ordered its matches by an older ranking: order them by this one (once per distinct match).
  const rank = new Map(ranked.map((id, i) => [id, i]));
  const ordered = new WeakMap<number[], number[]>();
  return {
    day,
    from,
    ranked,
    async match(alert) {
      let ids: number[];
      try {
        ids = await matcher.match(alert);
      } catch (err) {
        // The matcher keeps what it was given, a failure too: start afresh rather than fail until the papers change.
        if (byDay.get(day) === cached) byDay.delete(day);
        forget();
        throw err;
      }
      let out = ordered.get(ids);
      if (!out) ordered.set(ids, (out = ids.filter((id) => rank.has(id)).sort((a, b) => rank.get(a)! - rank.get(b)!)));
      return out;
    },
  };
}

/** What composing a claimed batch did. */
export interface ComposeResult {
  /** The batch to go on with: placeholders replaced by their composed digests; rows settled or lost here left out. */
  rows: outbox.OutboxRow[];
  composed: number;
  /** Digests with nothing new for their subscriber: cancelled, not sent. */
  empty: number;
  /** Placeholders past STALE_AFTER_DAYS: cancelled. */
  stale: number;
}

/** The reasons a placeholder is cancelled, as the outbox records them. */
export const CANCEL_REASONS = { empty: 'nothing new for this subscriber', stale: `not composed within ${STALE_AFTER_DAYS} days of its hour` };

/** The day of a digest placeholder row; undefined for any other row (composed, another kind, unreadable). */
function placeholderDay(row: outbox.OutboxRow): string | undefined {
  if (row.kind !== 'digest') return undefined;
  try {
    const payload = JSON.parse(row.payload) as DigestPlaceholder | DigestPayload;
    return !isComposed(payload) && typeof payload.day === 'string' ? payload.day : undefined;
  } catch {
    return undefined; // the renderer reports it
  }
}

/** Keeps only the listed papers `keep` accepts; undefined when none is left. */
function keepOnly(payload: DigestPayload, keep: (id: number) => boolean): DigestPayload | undefined {
  const alerts = payload.alerts.map((a) => ({ ...a, ids: a.ids.filter(keep) })).filter((a) => a.ids.length > 0);
  const top = payload.top.filter(keep);
  const recommended = payload.recommended?.filter((r) => keep(r.id));
  return alerts.length || top.length || recommended?.length ? { ...payload, alerts, top, ...(recommended ? { recommended } : {}) } : undefined;
}

/** Composes the digests of one delivery pass; each window is read once per pass (the ranking as of then). */
export class DigestComposer {
  private readonly windows = new Map<string, Promise<DigestWindow>>();

  constructor(
    private readonly db: Db,
    private readonly config: DigestConfig,
    private readonly leaseSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The window of a day as this pass sees it. */
  window(day: string): Promise<DigestWindow> {
    let w = this.windows.get(day);
    if (!w) {
      const forget = () => {
        if (this.windows.get(day) === w) this.windows.delete(day);
      };
      w = readWindow(this.db, this.config, day, forget);
      this.windows.set(day, w);
      // A failed read (a database hiccup) is tried again by the next batch, not remembered.
      w.catch(forget);
    }
    return w;
  }

  /**
   * Composes the digest placeholders among claimed rows whose subscriber is active (others are left to the
   * renderer, which cancels them). Throws on a database error: the caller retries the placeholders later.
   */
  async compose(rows: outbox.OutboxRow[], subscribers: Map<number, SubscriberRow>): Promise<ComposeResult> {
    const placeholders = rows
      .map((row) => ({ row, day: placeholderDay(row) }))
      .filter((p): p is { row: outbox.OutboxRow & { subscriber_id: number }; day: string } => p.day !== undefined && p.row.subscriber_id !== null && subscribers.get(p.row.subscriber_id)?.status === 'active')
      // Two digests of one subscriber in a batch: the older day takes its papers first.
      .sort((a, b) => a.row.due_at.localeCompare(b.row.due_at) || a.row.id - b.row.id);
    if (placeholders.length === 0) return { rows, composed: 0, empty: 0, stale: 0 };
    const now = this.now();
    const subscriberIds = [...new Set(placeholders.map((p) => p.row.subscriber_id))];
    const alerts = await repo.alertsOf(this.db.kysely, subscriberIds);
    const received = await repo.receivedPapers(this.db.kysely, subscriberIds);
    await this.matchAhead(placeholders.flatMap(({ row, day }) => (alerts.get(row.subscriber_id) ?? []).map((alert) => ({ day, alert }))));
    // Subscribers with an account get "Recommended for you" (one model per account, trained when its signals changed).
    const recommendFor = this.config.recommendations ? await digestRecommender(this.db, subscriberIds) : () => undefined;

    const planned: { row: outbox.OutboxRow & { subscriber_id: number }; day: string; payload?: DigestPayload; cancel?: keyof typeof CANCEL_REASONS }[] = [];
    for (const { row, day } of placeholders) {
      if (now.getTime() - Date.parse(row.due_at) > STALE_AFTER_DAYS * 86_400_000) {
        planned.push({ row, day, cancel: 'stale' });
        continue;
      }
      const sub = subscribers.get(row.subscriber_id)!;
      let got = received.get(sub.id);
      if (!got) received.set(sub.id, (got = new Set()));
      const payload = await digestFor(sub, alerts.get(sub.id) ?? [], await this.window(day), got, recommendFor(sub.id));
      if (!payload) {
        planned.push({ row, day, cancel: 'empty' });
        continue;
      }
      for (const id of digestPaperIds(payload)) got.add(id);
      planned.push({ row, day, payload: { ...payload, composedAt: now.toISOString() } });
    }

    const settled = await this.db.kysely.transaction().execute(async (trx) => {
      // Only what is still ours: a claim that outlived its lease belongs to whoever took it over.
      const held = await outbox.renewLeases(trx, planned.map((p) => p.row), this.leaseSeconds, now);
      const mine = planned.filter((p) => held.has(p.row.id));
      const wanted = mine.flatMap((p) => (p.payload ? digestPaperIds(p.payload).map((id) => ({ subscriber_id: p.row.subscriber_id, paper_id: id, day: p.day })) : []));
      const added = new Set((await repo.recordReceived(trx, wanted)).map((r) => `${r.subscriber_id}:${r.paper_id}`));
      for (const p of mine) {
        if (p.payload) {
          // A paper recorded meanwhile by another digest of this subscriber stays with that digest.
          p.payload = keepOnly(p.payload, (id) => added.has(`${p.row.subscriber_id}:${id}`));
          if (!p.payload) p.cancel = 'empty';
        }
        if (p.payload) await outbox.writePayload(trx, p.row, p.payload);
        else await outbox.markCancelled(trx, p.row, CANCEL_REASONS[p.cancel!]);
      }
      return new Map(mine.map((p) => [p.row.id, p]));
    });

    const placeholderIds = new Set(placeholders.map((p) => p.row.id));
    const out: outbox.OutboxRow[] = [];
    for (const row of rows) {
      if (!placeholderIds.has(row.id)) out.push(row);
      else {
        const p = settled.get(row.id);
        if (p?.payload) out.push({ ...row, payload: JSON.stringify(p.payload) });
      }
    }
    const count = (what: keyof typeof CANCEL_REASONS) => [...settled.values()].filter((p) => p.cancel === what).length;
    return { rows: out, composed: [...settled.values()].filter((p) => p.payload).length, empty: count('empty'), stale: count('stale') };
  }

  /** Matches a batch's alerts a few at a time, so the sequential composing below finds them matched. */
  private async matchAhead(wanted: { day: string; alert: AlertFields }[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const { day, alert } = wanted[next++];
        await (await this.window(day)).match(alert);
      }
    };
    await Promise.all(Array.from({ length: Math.min(MATCH_CONCURRENCY, wanted.length) }, worker));
  }

  /** What a subscriber's digest of `day` would hold if it were composed now; nothing is recorded. */
  async preview(sub: SubscriberRow, day: string): Promise<DigestPayload | undefined> {
    const alerts = (await repo.alertsOf(this.db.kysely, [sub.id])).get(sub.id) ?? [];
    const received = (await repo.receivedPapers(this.db.kysely, [sub.id])).get(sub.id) ?? new Set<number>();
    return digestFor(sub, alerts, await this.window(day), received);
  }
}
