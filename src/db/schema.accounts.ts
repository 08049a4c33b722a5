import type { Generated } from 'kysely';

/** What an account may do: admins manage accounts and /admin, members use the site. */
export type UserRole = 'admin' | 'member';
/** A suspended account cannot sign in, and its sessions and tokens stop working. */
export type UserStatus = 'active' | 'suspended';

/** An account. */
export interface UsersTable {
  id: Generated<number>;
  /** Lower-cased, unique. */
  email: string;
  display_name: string | null;
  role: Generated<UserRole>;
  status: Generated<UserStatus>;
  /** `scrypt$N$r$p$salt$hash` (src/accounts/passwords.ts), or null: signs in by mail or single sign-on only. */
  password_hash: string | null;
  password_changed_at: string | null;
  /** The email subscription this account manages (joined when the same address was confirmed before sign-up). */
  subscriber_id: number | null;
  created_at: string;
  last_sign_in_at: string | null;
}

/** How a session was opened. */
export type SessionMethod = 'password' | 'email-link' | 'oidc' | 'reset';

/** A signed-in browser: the cookie holds a random value, the row its SHA-256. */
export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_at: string;
  /** Updated at most every few minutes, not on every request. */
  last_seen_at: string;
  expires_at: string;
  method: SessionMethod;
  user_agent: string | null;
  client: string | null;
}

/** A personal API token (`Authorization: Bearer pb_…`), stored as its SHA-256 and shown once. */
export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  /** `pb_` and the first characters, to tell tokens apart in a list. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

/** What a mailed link lets its holder do. */
export type EmailLinkPurpose = 'sign-in' | 'reset' | 'invite';

/** A single-use link mailed to an address; the link's MAC is over its salt (src/accounts/email-links.ts). */
export interface EmailLinksTable {
  id: Generated<number>;
  purpose: EmailLinkPurpose;
  email: string;
  user_id: number | null;
  salt: string;
  /** JSON: `{ next?, role? }`. */
  data: Generated<string>;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** An account's identity at an OpenID Connect provider. */
export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: number;
  email: string | null;
  created_at: string;
}

/** One account or moderation action, for the audit log page. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  /** The account that acted; null for the admin token and the CLI. */
  actor_user_id: number | null;
  action: string;
  target_type: string;
  target_id: number | null;
  /** JSON. */
  detail: Generated<string>;
}

/** The tables of migration 0009_accounts. */
export interface AccountTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  email_links: EmailLinksTable;
  user_identities: UserIdentitiesTable;
  audit_log: AuditLogTable;
}
