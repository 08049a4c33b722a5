/**
 * Passwords, the NIST SP 800-63B way: long rather than complicated (at least 12 characters, up to 256, any
 * characters, spaces and emoji included, no "one digit and one symbol" rules), checked against a short list
 * of the passwords every breach corpus starts with and against the account's own address, and stored with
 * scrypt (node:crypto) at OWASP's cost — N=2^15, r=8, p=3: 32 MiB and about a quarter second per guess.
 * The text is NFKC-normalised first, so the same password typed on another keyboard still matches.
 */
import { randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { constantTimeEqual } from './secrets.ts';

/** Shortest and longest password accepted, in characters. */
export const PASSWORD_LENGTH = { min: 12, max: 256 };

const COST = { N: 2 ** 15, r: 8, p: 3 };
const KEY_BYTES = 32;

// The first entries of every breached-password list that are long enough to pass the length rule.
const COMMON = new Set(
  [
    'password1234', 'password12345', 'password123456', 'passwordpassword', 'password1234567890', '123456789012', '1234567890123',
    '12345678901234', '123456789123', '1234567890qwerty', 'qwertyuiopasdfgh', 'qwertyuiop123', 'qwerty123456', 'qwertyqwerty',
    '1q2w3e4r5t6y', '1qaz2wsx3edc', 'q1w2e3r4t5y6', 'iloveyou1234', 'iloveyouforever', 'letmein12345', 'welcome12345', 'administrator',
    'changeme1234', 'abcdefghijkl', 'abc123abc123', 'trustno1trustno1', 'football1234', 'baseball1234', 'superman1234', 'monkey123456',
    'dragon123456', 'sunshine1234', 'princess1234', 'starwars1234', 'correcthorsebatterystaple', 'paperboy1234', 'paperboypaperboy',
  ].map((p) => p.toLowerCase()),
);

/** Why a new password is refused (a sentence for the form), or undefined when it is fine. */
export function passwordProblem(password: string, email?: string): string | undefined {
  const text = password.normalize('NFKC');
  const length = [...text].length;
  if (length < PASSWORD_LENGTH.min) return `Use at least ${PASSWORD_LENGTH.min} characters — a few words in a row are easy to remember (${length} so far).`;
  if (length > PASSWORD_LENGTH.max) return `Use at most ${PASSWORD_LENGTH.max} characters.`;
  const lower = text.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.replace(/[\s!.]+$/, ''))) return 'This password is one of the first that attackers try. Choose another.';
  if (new Set(lower).size <= 2) return 'Use more than one or two different characters.';
  if ('01234567890123456789'.includes(lower) || 'abcdefghijklmnopqrstuvwxyz'.includes(lower)) return 'A run of digits or letters is guessed at once. Choose another.';
  if (email) {
    const local = email.toLowerCase().split('@')[0];
    if (lower.includes(email.toLowerCase()) || (local.length >= 4 && lower.includes(local))) return 'Do not use your email address in your password.';
  }
  return undefined;
}

function scrypt(password: string, salt: Buffer, cost: typeof COST): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 128 * cost.N * cost.r * (cost.p + 1) + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCallback(password.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Hashes a password for storage: `scrypt$N$r$p$salt$hash` (base64url), on libuv's thread pool. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether a password matches a stored hash (a malformed hash matches nothing). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (!m || [...password].length > PASSWORD_LENGTH.max) return false;
  const cost = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (cost.N > 2 ** 20 || cost.r > 32 || cost.p > 16) return false;
  const key = await scrypt(password, Buffer.from(m[4], 'base64url'), cost);
  return constantTimeEqual(key.toString('base64url'), m[5]);
}

/** Whether a stored hash was made with other parameters than today's, so it is replaced at the next sign-in. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`scrypt$${COST.N}$${COST.r}$${COST.p}$`);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time a password check takes, for an address with no account (or no password): the answer
 * then takes as long as a wrong password's, so timing does not tell which addresses have accounts.
 */
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword('paperboy timing equaliser');
  await verifyPassword(password, await dummy);
  return false;
}
