/**
 * Signed links: `<subscriber id>.<expiry>.<mac>` where the MAC (HMAC-SHA256 under the secret key) covers the
 * purpose, the id, the expiry and, for confirmation links, the subscriber's current nonce and the choices the
 * link carries (`data`). Clearing the nonce when the link is used makes it single-use; the expiry makes it
 * expire. Manage and unsubscribe links never expire, so a mail from last year still lets its reader leave.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a link lets its holder do: subscription links, and the account links of src/accounts/email-links.ts. */
export type TokenPurpose = 'confirm' | 'manage' | 'unsubscribe' | 'sign-in' | 'reset' | 'invite';

/** How long a confirmation link works. */
export const CONFIRM_LINK_HOURS = 48;

function mac(key: string, purpose: TokenPurpose, id: number, expires: number, nonce: string, data: string): string {
  // Without data the input is what it was before links carried any, so links mailed earlier stay valid.
  const input = `${purpose}\n${id}\n${expires}\n${nonce}${data ? `\n${data}` : ''}`;
  return createHmac('sha256', key).update(input).digest('base64url').slice(0, 32);
}

/** Signs a link token; `expires` is epoch seconds, 0 for never; `data` is what the link carries besides the token. */
export function signToken(key: string, purpose: TokenPurpose, id: number, opts: { expires?: number; nonce?: string; data?: string } = {}): string {
  const expires = opts.expires ?? 0;
  return `${id}.${expires}.${mac(key, purpose, id, expires, opts.nonce ?? '', opts.data ?? '')}`;
}

/** The parts of a token, before its signature is checked (the nonce lives in the database). */
export interface ParsedToken {
  id: number;
  expires: number;
  mac: string;
}

/** Splits a token; undefined when it is not shaped like one. */
export function parseToken(token: string): ParsedToken | undefined {
  const m = /^(\d{1,10})\.(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m || Number(m[1]) > 2 ** 31 - 1) return undefined;
  return { id: Number(m[1]), expires: Number(m[2]), mac: m[3] };
}

/** Whether a parsed token is a valid, unexpired signature for this purpose (and nonce, and data). */
export function verifyToken(key: string, purpose: TokenPurpose, token: ParsedToken, opts: { nonce?: string; now?: Date; data?: string } = {}): boolean {
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (token.expires !== 0 && token.expires < now) return false;
  const expected = Buffer.from(mac(key, purpose, token.id, token.expires, opts.nonce ?? '', opts.data ?? ''));
  const given = Buffer.from(token.mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
