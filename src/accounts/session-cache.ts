/**
 * Sessions resolved in the last SESSION_CACHE_MS, kept in memory: every signed-in request resolves its
 * cookie, and a reader's requests come in bursts (a page, its assets' neighbours, a vote), so the lookup by
 * token hash was the largest single cost of a signed-in page the response cache already holds
 * (bench:signed-in, docs/benchmarks.md).
 *
 * Every write that ends a session or changes its account (sessions.repo.ts, accounts.repo.ts#updateUser)
 * forgets the entries it concerns once the write is done, so the next request in this process sees it. A
 * lookup that read the row before such a write does not store its answer (`generation`). Another process —
 * a second server of WEB_CONCURRENCY, another instance, `paperboy users suspend` — cannot reach this memory:
 * there a revoked session or a suspended account goes on working for up to SESSION_CACHE_MS
 * (docs/architecture.md, "accounts/").
 */
import type { SessionRow } from './sessions.repo.ts';
import type { User } from './user.ts';

/** How long a resolved session is answered from memory. */
export const SESSION_CACHE_MS = 2000;
const MAX_ENTRIES = 20_000;

/** A resolved session as `sessionFor` answers it. */
export interface ResolvedSession {
  user: User;
  session: SessionRow;
}

interface Entry {
  /** Which store it was read from (a test process opens many). */
  store: object;
  resolved: ResolvedSession;
  until: number;
}

const entries = new Map<string, Entry>();
let generation = 0;

/** The count of forgets so far: a lookup stores its answer only if none happened while it read. */
export function sessionCacheGeneration(): number {
  return generation;
}

/** The remembered session of this token hash in `store`, if it is still fresh at `now`. */
export function rememberedSession(store: object, tokenHash: string, now: number): ResolvedSession | undefined {
  const entry = entries.get(tokenHash);
  if (!entry) return undefined;
  if (entry.store === store && entry.until > now) return entry.resolved;
  if (entry.until <= now) entries.delete(tokenHash);
  return undefined;
}

/**
 * Remembers a resolved session until `now` + SESSION_CACHE_MS (never past its expiry), unless a forget
 * happened since `readAt` (the generation when its read began). Frozen: requests share the objects.
 */
export function rememberSession(store: object, tokenHash: string, resolved: ResolvedSession, now: number, readAt: number): void {
  if (readAt !== generation) return;
  const until = Math.min(now + SESSION_CACHE_MS, Date.parse(resolved.session.expires_at));
  if (!(until > now)) return;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(tokenHash, { store, resolved: { user: Object.freeze(resolved.user), session: Object.freeze(resolved.session) }, until });
}

/** Forgets the session with this token hash (signed out). */
export function forgetSessionHash(tokenHash: string): void {
  generation++;
  entries.delete(tokenHash);
}

/** Forgets every session of an account (one revoked, all revoked, the account changed or suspended). */
export function forgetSessionsOf(userId: number): void {
  generation++;
  for (const [hash, entry] of entries) if (entry.resolved.user.id === userId) entries.delete(hash);
}
