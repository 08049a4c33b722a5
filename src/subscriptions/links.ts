/**
 * The signed links of subscriptions, in one place:
 *
 *   /subscribe                     the form (POST subscribes)
 *   /subscribe/confirm/<token>?with=<choices>
 *                                  confirmation link from the mail (GET shows a button and the form's
 *                                  choices, POST confirms and applies them); the token signs the choices
 *   /subscription/<token>          preferences and alerts (signed, no login)
 *   /unsubscribe/<token>           GET shows a button; POST unsubscribes (also the RFC 8058 one-click target)
 */
import { type SubscribeChoices, SubscribeChoicesInput } from './subscription-input.ts';
import { CONFIRM_LINK_HOURS, signToken } from './tokens.ts';

/** Root-relative path of the subscribe form. */
export const SUBSCRIBE_PATH = '/subscribe';

/** The `with` parameter of a confirmation link: the form's choices, compact (the token signs this exact text). */
export function encodeChoices(c: SubscribeChoices): string {
  return Buffer.from(JSON.stringify([c.timeZone, c.digest ? 1 : 0, c.digestSize, c.alertQuery])).toString('base64url');
}

/** The choices in a `with` parameter, or undefined when it is not one `encodeChoices` could have made. */
export function decodeChoices(text: string): SubscribeChoices | undefined {
  if (text.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 4) return undefined;
    const parsed = SubscribeChoicesInput.safeParse({ timeZone: value[0], digest: value[1] === 1, digestSize: value[2], alertQuery: value[3] });
    return parsed.success && (value[1] === 0 || value[1] === 1) ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Path of a confirmation link (fresh expiry each time it is made), carrying the form's choices when given. */
export function confirmPath(key: string, subscriberId: number, nonce: string, now = new Date(), choices?: SubscribeChoices): string {
  const expires = Math.floor(now.getTime() / 1000) + CONFIRM_LINK_HOURS * 3600;
  const data = choices ? encodeChoices(choices) : '';
  return `/subscribe/confirm/${signToken(key, 'confirm', subscriberId, { expires, nonce, data })}${data ? `?with=${data}` : ''}`;
}

/** Path of a subscriber's preferences page. */
export function managePath(key: string, subscriberId: number): string {
  return `/subscription/${signToken(key, 'manage', subscriberId)}`;
}

/** Path of a subscriber's unsubscribe link. */
export function unsubscribePath(key: string, subscriberId: number): string {
  return `/unsubscribe/${signToken(key, 'unsubscribe', subscriberId)}`;
}
