import type { Generated } from 'kysely';

/** Someone who asked for mail by address alone (no account). */
export interface SubscribersTable {
  id: Generated<number>;
  /** Lower-cased address, unique. */
  email: string;
  status: 'pending' | 'active' | 'unsubscribed' | 'bounced';
  confirm_nonce: string | null;
  /** IANA time zone the digest hour is read in. */
  time_zone: Generated<string>;
  /** 1 when the daily trending digest is wanted. */
  digest_enabled: Generated<number>;
  /** How many trending papers the digest lists. */
  digest_size: Generated<number>;
  permanent_failures: Generated<number>;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
}

/** One alert of a subscriber: every field that is set must match. */
export interface SubscriberAlertsTable {
  id: Generated<number>;
  subscriber_id: number;
  query: string | null;
  category: string | null;
  /** Organization slug. */
  organization: string | null;
  /** Author name as typed; matched on the normalized name. */
  author: string | null;
  created_at: string;
}

/** A message to send, once: the idempotency key is unique, leases keep two senders apart. */
export interface MailOutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  /** Subscription mails, and account mails (src/accounts/account-mails.tsx), which go to `user_id` or `to_address`. */
  kind: 'confirm' | 'already-subscribed' | 'digest' | 'account-sign-in' | 'account-reset' | 'account-invite' | 'comment-reply';
  /** The subscriber a subscription mail is for; null for account mails. */
  subscriber_id: number | null;
  /** The account an account mail is for (migration 0009). */
  user_id: number | null;
  /** Where an account mail goes when there is no account yet (a sign-up link). */
  to_address: string | null;
  /** JSON, by kind (a digest's day until it is composed, then its paper ids grouped under alerts; the confirmation nonce, …). */
  payload: Generated<string>;
  status: 'pending' | 'sent' | 'failed' | 'cancelled';
  /** ISO timestamp: not before (the digest hour, or the next retry). */
  due_at: string;
  attempts: Generated<number>;
  lease_token: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/**
 * The preparation of one announcement day's digests: a placeholder message per subscriber, written in id
 * order up to `cursor` under a lease. What each digest holds is decided when it is sent (src/digest/compose.ts).
 */
export interface DigestRunsTable {
  day: string;
  cursor: Generated<number>;
  messages: Generated<number>;
  lease_token: string | null;
  lease_until: string | null;
  created_at: string;
  prepared_at: string | null;
}

/** Papers a subscriber has been sent (or has a composed digest with, about to be sent), so none is sent twice. */
export interface DigestReceivedTable {
  subscriber_id: number;
  paper_id: number;
  /** The digest day; rows no digest can still need (older than the window of any day still to be composed) are pruned. */
  day: string;
}

/** Fixed-window counters shared by every Paperboy process on the database. */
export interface RateLimitsTable {
  key: string;
  window_start: string;
  count: number;
}

/** The tables of migration 0004_subscriptions. */
export interface SubscriptionTables {
  subscribers: SubscribersTable;
  subscriber_alerts: SubscriberAlertsTable;
  mail_outbox: MailOutboxTable;
  digest_runs: DigestRunsTable;
  digest_received: DigestReceivedTable;
  rate_limits: RateLimitsTable;
}
