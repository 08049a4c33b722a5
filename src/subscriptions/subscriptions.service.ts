/**
 * The rules of subscribing: double opt-in, single-use expiring confirmation links, signed preference and
 * unsubscribe links, rate limits, and never telling a visitor whether an address is subscribed already.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { cancelPendingFor, enqueueMessages } from '../mail/outbox.repo.ts';
import { hitRateLimit, type RateLimit } from './rate-limits.ts';
import * as repo from './subscriptions.repo.ts';
import type { AlertFields, SubscriberRow } from './subscriptions.repo.ts';
import { MAX_ALERTS } from './subscription-input.ts';
import { parseToken, verifyToken, type TokenPurpose } from './tokens.ts';

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
  if (!(await hitRateLimit(db, `subscribe-ip:${req.client}`, LIMITS.subscribePerIp, now))) return 'too-many';
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
  // New, pending, unsubscribed or bounced: (re)start double opt-in with what this form asked for.
  const nonce = sub.status === 'pending' && sub.confirm_nonce ? sub.confirm_nonce : newNonce();
  await repo.updateSubscriber(db, sub.id, {
    status: 'pending',
    confirm_nonce: nonce,
    time_zone: req.timeZone,
    digest_enabled: req.digest ? 1 : 0,
    digest_size: req.digestSize,
  });
  if (req.alertQuery) await repo.addAlert(db, sub.id, { query: req.alertQuery, category: null, organization: null, author: null }, at);
  if (await mayMailConfirmation(db, req.email, now)) await enqueue(db, sub.id, 'confirm', { nonce }, now);
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

/** The pending subscriber a confirmation link belongs to, if the link is valid, unexpired and unused. */
export async function checkConfirmation(ctx: SubscriptionContext, token: string, now = new Date()): Promise<SubscriberRow | undefined> {
  const parsed = parseToken(token);
  if (!parsed) return undefined;
  const sub = await repo.getSubscriber(ctx.db, parsed.id);
  if (!sub || sub.status !== 'pending' || !sub.confirm_nonce) return undefined;
  return verifyToken(ctx.key, 'confirm', parsed, { nonce: sub.confirm_nonce, now }) ? sub : undefined;
}

/** Confirms a subscription; the link stops working once used. Undefined when it was invalid, expired or used. */
export async function confirm(ctx: SubscriptionContext, token: string, now = new Date()): Promise<SubscriberRow | undefined> {
  const sub = await checkConfirmation(ctx, token, now);
  if (!sub || !(await repo.confirmSubscriber(ctx.db, sub.id, sub.confirm_nonce!, now.toISOString()))) return undefined;
  return repo.getSubscriber(ctx.db, sub.id);
}

/** The subscriber a signed manage or unsubscribe link belongs to, if it is genuine. */
export async function subscriberForLink(ctx: SubscriptionContext, purpose: Exclude<TokenPurpose, 'confirm'>, token: string): Promise<SubscriberRow | undefined> {
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

/** Adds an alert; 'too-many' past MAX_ALERTS. */
export async function addAlert(ctx: SubscriptionContext, sub: SubscriberRow, fields: AlertFields, now = new Date()): Promise<'added' | 'too-many'> {
  if ((await repo.listAlerts(ctx.db, sub.id)).length >= MAX_ALERTS) return 'too-many';
  await repo.addAlert(ctx.db, sub.id, fields, now.toISOString());
  return 'added';
}

/** Adds a subscriber directly (CLI, benchmarks): optionally confirmed already, with alerts. */
export async function addSubscriberDirectly(
  db: Kysely<Database>,
  input: { email: string; confirmed: boolean; timeZone: string; digestSize: number; alerts: AlertFields[] },
  now = new Date(),
): Promise<SubscriberRow> {
  const at = now.toISOString();
  const sub = await repo.insertPendingSubscriber(db, { email: input.email, nonce: newNonce(), timeZone: input.timeZone, digestEnabled: true, digestSize: input.digestSize, now: at });
  if (input.confirmed) await repo.updateSubscriber(db, sub.id, { status: 'active', confirm_nonce: null, confirmed_at: at, time_zone: input.timeZone });
  else if (sub.status === 'pending' && sub.confirm_nonce) await enqueue(db, sub.id, 'confirm', { nonce: sub.confirm_nonce }, now);
  for (const a of input.alerts) await repo.addAlert(db, sub.id, a, at);
  return (await repo.getSubscriber(db, sub.id))!;
}
