/**
 * The rules of subscribing: double opt-in, single-use expiring confirmation links, signed preference and
 * unsubscribe links, rate limits, and never telling a visitor whether an address is subscribed already.
 * The subscribe form can be sent by anyone for any address, so it never changes what an existing address
 * has: its choices (time zone, digest, alert) travel signed in that request's confirmation link, are shown
 * on the confirmation page, and are applied only when the owner confirms.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { cancelPendingFor, enqueueMessages } from '../mail/outbox.repo.ts';
import { decodeChoices } from './links.ts';
import { hitRateLimit, type RateLimit, rateLimitClient } from './rate-limits.ts';
import * as repo from './subscriptions.repo.ts';
import type { AlertFields, AlertRow, SubscriberRow } from './subscriptions.repo.ts';
import { MAX_ALERTS, type SubscribeChoices } from './subscription-input.ts';
import { parseToken, verifyToken } from './tokens.ts';

export type { AlertFields, AlertRow, SubscriberRow } from './subscriptions.repo.ts';
export type { SubscribeChoices } from './subscription-input.ts';

/** Abuse limits, per process-independent window (counted in the database). */
export const LIMITS = {
  subscribePerIp: { max: 20, windowSeconds: 3600 },
  subscribePerAddress: { max: 10, windowSeconds: 86400 },
  confirmationMailsPerAddress: { max: 1, windowSeconds: 600 },
  confirmationMailsPerAddressDaily: { max: 3, windowSeconds: 86400 },
} satisfies Record<string, RateLimit>;

/** What subscription rules need: the store and the link-signing key. */
export interface SubscriptionContext {
  db: Kysely<Database>;
  key: string;
}

/** A subscribe request, already validated. */
export interface SubscribeRequest {
  email: string;
  timeZone: string;
  digest: boolean;
  digestSize: number;
  alertQuery: string | null;
  /** Who asked (IP address), for the per-IP limit. */
  client: string;
}

/**
 * Handles the subscribe form. 'accepted' is the answer whatever the address's state (new, pending, active,
 * unsubscribed), so the form reveals nothing; only the per-IP limit answers differently ('too-many').
 */
export async function subscribe(ctx: SubscriptionContext, req: SubscribeRequest, now = new Date()): Promise<'accepted' | 'too-many'> {
  const { db } = ctx;
  if (!(await hitRateLimit(db, `subscribe-ip:${rateLimitClient(req.client)}`, LIMITS.subscribePerIp, now))) return 'too-many';
  if (!(await hitRateLimit(db, `subscribe-address:${req.email}`, LIMITS.subscribePerAddress, now))) return 'accepted';
  const at = now.toISOString();
  let sub = await repo.findSubscriberByEmail(db, req.email);
  if (!sub) {
    sub = await repo.insertPendingSubscriber(db, {
      email: req.email,
      nonce: newNonce(),
      timeZone: req.timeZone,
      digestEnabled: req.digest,
      digestSize: req.digestSize,
      now: at,
    });
  }
  if (sub.status === 'active') {
    // Preferences of an active subscriber change only through their signed link, never through this form.
    if (await mayMailConfirmation(db, req.email, now)) await enqueue(db, sub.id, 'already-subscribed', {}, now);
    return 'accepted';
  }
  // New, pending, unsubscribed or bounced: (re)start double opt-in. What this form asked for goes into its
  // own confirmation link only; the stored choices (and any earlier link) stay as they are.
  const nonce = sub.status === 'pending' && sub.confirm_nonce ? sub.confirm_nonce : newNonce();
  if (sub.status !== 'pending' || sub.confirm_nonce !== nonce) await repo.updateSubscriber(db, sub.id, { status: 'pending', confirm_nonce: nonce });
  const choices: SubscribeChoices = { timeZone: req.timeZone, digest: req.digest, digestSize: req.digestSize, alertQuery: req.alertQuery };
  if (await mayMailConfirmation(db, req.email, now)) await enqueue(db, sub.id, 'confirm', { nonce, choices }, now);
  return 'accepted';
}

function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

async function mayMailConfirmation(db: Kysely<Database>, email: string, now: Date): Promise<boolean> {
  // Both windows count every attempt, so a flood of requests cannot turn into a flood of mail.
  const short = await hitRateLimit(db, `confirmation-mail:${email}`, LIMITS.confirmationMailsPerAddress, now);
  const daily = await hitRateLimit(db, `confirmation-mail-daily:${email}`, LIMITS.confirmationMailsPerAddressDaily, now);
  return short && daily;
}

async function enqueue(db: Kysely<Database>, subscriberId: number, kind: 'confirm' | 'already-subscribed', payload: object, now: Date) {
  await enqueueMessages(db, [{ key: `${kind}:${subscriberId}:${randomUUID()}`, kind, subscriberId, payload, dueAt: now }], now);
}

/** A confirmation link as it arrives: its token and, for links that carry the form's choices, their `with` text. */
export interface ConfirmationLink {
  token: string;
  with?: string;
}

/** A valid confirmation link: whose it is and what confirming it will apply (none for links without choices). */
export interface PendingConfirmation {
  sub: SubscriberRow;
  choices?: SubscribeChoices;
}

/** What a confirmation did: the subscriber now, and what became of the form's alert. */
export interface Confirmed {
  sub: SubscriberRow;
  alert: 'added' | 'none' | 'too-many';
}

/** The pending subscriber a confirmation link belongs to and its choices, if the link is valid, unexpired and unused. */
export async function checkConfirmation(ctx: SubscriptionContext, link: ConfirmationLink, now = new Date()): Promise<PendingConfirmation | undefined> {
  const parsed = parseToken(link.token);
  if (!parsed) return undefined;
  const data = link.with ?? '';
  const choices = data ? decodeChoices(data) : undefined;
  if (data && !choices) return undefined;
  const sub = await repo.getSubscriber(ctx.db, parsed.id);
  if (!sub || sub.status !== 'pending' || !sub.confirm_nonce) return undefined;
  return verifyToken(ctx.key, 'confirm', parsed, { nonce: sub.confirm_nonce, now, data }) ? { sub, choices } : undefined;
}

/**
 * Confirms a subscription and applies the link's choices, its alert within MAX_ALERTS; every link of the
 * address stops working. Undefined when the link was invalid, expired or used.
 */
export async function confirm(ctx: SubscriptionContext, link: ConfirmationLink, now = new Date()): Promise<Confirmed | undefined> {
  const found = await checkConfirmation(ctx, link, now);
  if (!found) return undefined;
  const { sub, choices } = found;
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.confirmSubscriber(trx, sub.id, sub.confirm_nonce!, now.toISOString()))) return undefined;
    let alert: Confirmed['alert'] = 'none';
    if (choices) {
      await repo.updateSubscriber(trx, sub.id, { time_zone: choices.timeZone, digest_enabled: choices.digest ? 1 : 0, digest_size: choices.digestSize });
      if (choices.alertQuery) alert = await addAlertWithinLimit(trx, sub.id, { query: choices.alertQuery, category: null, organization: null, author: null }, now);
    }
    return { sub: (await repo.getSubscriber(trx, sub.id))!, alert };
  });
}

/** The subscriber a signed manage or unsubscribe link belongs to, if it is genuine. */
export async function subscriberForLink(ctx: SubscriptionContext, purpose: 'manage' | 'unsubscribe', token: string): Promise<SubscriberRow | undefined> {
  const parsed = parseToken(token);
  if (!parsed || !verifyToken(ctx.key, purpose, parsed)) return undefined;
  return repo.getSubscriber(ctx.db, parsed.id);
}

/** Stops all mail to a subscriber; their preferences stay, so subscribing again restores them. */
export async function unsubscribe(ctx: SubscriptionContext, sub: SubscriberRow, now = new Date()): Promise<void> {
  if (sub.status !== 'unsubscribed') {
    await repo.updateSubscriber(ctx.db, sub.id, { status: 'unsubscribed', unsubscribed_at: now.toISOString(), confirm_nonce: null });
  }
  await cancelPendingFor(ctx.db, sub.id, 'unsubscribed');
}

/** Changes what the digest sends and when. */
export async function updatePreferences(ctx: SubscriptionContext, sub: SubscriberRow, prefs: { timeZone: string; digest: boolean; digestSize: number }) {
  await repo.updateSubscriber(ctx.db, sub.id, { time_zone: prefs.timeZone, digest_enabled: prefs.digest ? 1 : 0, digest_size: prefs.digestSize });
}

async function addAlertWithinLimit(db: Kysely<Database>, subscriberId: number, fields: AlertFields, now: Date): Promise<'added' | 'too-many'> {
  if ((await repo.listAlerts(db, subscriberId)).length >= MAX_ALERTS) return 'too-many';
  await repo.addAlert(db, subscriberId, fields, now.toISOString());
  return 'added';
}

/** Adds an alert; 'too-many' past MAX_ALERTS. */
export async function addAlert(ctx: SubscriptionContext, sub: SubscriberRow, fields: AlertFields, now = new Date()): Promise<'added' | 'too-many'> {
  return addAlertWithinLimit(ctx.db, sub.id, fields, now);
}

/** A subscriber's alerts, oldest first. */
export function listAlerts(ctx: SubscriptionContext, sub: SubscriberRow): Promise<AlertRow[]> {
  return repo.listAlerts(ctx.db, sub.id);
}

/** Removes one of the subscriber's own alerts (the id of someone else's removes nothing). */
export function deleteAlert(ctx: SubscriptionContext, sub: SubscriberRow, alertId: number): Promise<boolean> {
  return repo.deleteAlert(ctx.db, sub.id, alertId);
}

/** Subscribers by status, for the admin page. */
export function countSubscribers(db: Kysely<Database>): Promise<Record<string, number>> {
  return repo.countSubscribers(db);
}

/** Adds a subscriber directly (CLI, benchmarks): optionally confirmed already, with alerts (up to MAX_ALERTS). */
export async function addSubscriberDirectly(
  db: Kysely<Database>,
  input: { email: string; confirmed: boolean; timeZone: string; digestSize: number; alerts: AlertFields[] },
  now = new Date(),
): Promise<SubscriberRow> {
  const at = now.toISOString();
  const sub = await repo.insertPendingSubscriber(db, { email: input.email, nonce: newNonce(), timeZone: input.timeZone, digestEnabled: true, digestSize: input.digestSize, now: at });
  if (input.confirmed) await repo.updateSubscriber(db, sub.id, { status: 'active', confirm_nonce: null, confirmed_at: at, time_zone: input.timeZone });
  else if (sub.status === 'pending' && sub.confirm_nonce) await enqueue(db, sub.id, 'confirm', { nonce: sub.confirm_nonce }, now);
  for (const a of input.alerts) if ((await addAlertWithinLimit(db, sub.id, a, now)) === 'too-many') break;
  return (await repo.getSubscriber(db, sub.id))!;
}

/**
 * Counts a refused delivery (5xx) against the address. At `bounceLimit` the subscriber is stopped ('bounced')
 * and their pending mail cancelled; true when this failure stopped them. Called by mail delivery.
 */
export async function recordPermanentFailure(db: Kysely<Database>, subscriberId: number, bounceLimit: number): Promise<boolean> {
  const row = await repo.addPermanentFailure(db, subscriberId);
  if (!row || row.permanent_failures < bounceLimit || row.status === 'bounced') return false;
  await repo.updateSubscriber(db, subscriberId, { status: 'bounced' });
  await cancelPendingFor(db, subscriberId, 'address bounced');
  return true;
}
