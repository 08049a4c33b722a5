/**
 * Who is acting, and the permission rules every area shares. Pure: no SQL, no HTTP.
 *
 * Private things (a session, a token, a private collection, a reading state) are handed to the functions
 * that read or change them as `Owned<Row>`, a type only `ownedBy` can produce: a service function that
 * takes `Owned<CollectionRow>` cannot be called with a row nobody checked. Outside of this module the brand
 * can only be forged with a cast, which a review sees.
 */
import type { Selectable } from 'kysely';
import type { UserRole, UsersTable, UserStatus } from '../db/schema.accounts.ts';

export type { UserRole, UserStatus } from '../db/schema.accounts.ts';

/** A signed-in account, as handlers and services see it (never the password hash). */
export interface User {
  id: number;
  email: string;
  displayName: string | null;
  role: UserRole;
  status: UserStatus;
  hasPassword: boolean;
  /** The email subscription this account manages, when it has one. */
  subscriberId: number | null;
  createdAt: string;
}

/** A user row as stored. */
export type UserRow = Selectable<UsersTable>;

/** The account a row describes, without its secrets. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    status: row.status,
    hasPassword: row.password_hash !== null,
    subscriberId: row.subscriber_id,
    createdAt: row.created_at,
  };
}

/** The name to show for an account: its display name, else the part of its address before the @. */
export function userLabel(user: Pick<User, 'displayName' | 'email'>): string {
  return user.displayName ?? user.email.slice(0, user.email.indexOf('@'));
}

/** Whether an account may use /admin and manage other accounts. */
export function isAdmin(user: Pick<User, 'role' | 'status'> | undefined): boolean {
  return user?.role === 'admin' && user.status === 'active';
}

declare const ownedBrand: unique symbol;

/** A row that the ownership check found to belong to the acting user; only `ownedBy` makes one. */
export type Owned<T> = T & { readonly [ownedBrand]: true };

/**
 * The row as `Owned<T>` when it exists and belongs to `user`, else undefined. Callers answer undefined with
 * 404, never 403: another person's private thing must look exactly like one that does not exist.
 */
export function ownedBy<T extends { user_id: number }>(user: Pick<User, 'id'> | undefined, row: T | undefined): Owned<T> | undefined {
  return user && row && row.user_id === user.id ? (row as Owned<T>) : undefined;
}
