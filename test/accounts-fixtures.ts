/** Accounts for tests: make one, and the headers that act as it (a session cookie, an API token). */
import { createApiToken } from '../src/accounts/api-tokens.ts';
import { createUser } from '../src/accounts/accounts.service.ts';
import { openSession } from '../src/accounts/sessions.ts';
import type { User, UserRole } from '../src/accounts/user.ts';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import { sessionCookieName } from '../src/http/auth.ts';

/** Creates an account (or returns the existing one with this address). */
export async function addTestUser(db: Db, email: string, role: UserRole = 'member'): Promise<User> {
  return (await createUser({ db: db.kysely, accounts: { registration: 'open', allowedEmailDomains: [] } }, { email, role })).user;
}

/** A `Cookie` header value that signs the browser in as `user` (a real session row). */
export async function sessionCookieFor(db: Db, config: Pick<Config, 'publicBaseUrl'>, user: Pick<User, 'id'>): Promise<string> {
  const { token } = await openSession(db.kysely, user.id, { method: 'password', userAgent: 'test' });
  return `${sessionCookieName(config)}=${token}`;
}

/** An `Authorization` header value with a fresh personal API token of `user`. */
export async function bearerFor(db: Db, user: Pick<User, 'id'>, name = 'test'): Promise<string> {
  const made = await createApiToken(db.kysely, user, name);
  return `Bearer ${made!.token}`;
}
