/** Random secrets and how they are kept: only a hash is stored, and comparisons take the same time whatever they hold. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random secret, base64url (32 bytes: 256 bits unless told otherwise). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * What is stored of a session or API token: its SHA-256. The secret itself has 256 random bits, so a fast
 * hash is enough (nothing to guess), and a stolen table opens no session. Lookups go by this value, so no
 * comparison of secrets ever runs character by character.
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
