/**
 * The signed links of subscriptions, in one place:
 *
 *   /subscribe                     the form (POST subscribes)
 *   /subscribe/confirm/<token>     confirmation link from the mail (GET shows a button, POST confirms)
 *   /subscription/<token>          preferences and alerts (signed, no login)
 *   /unsubscribe/<token>           GET shows a button; POST unsubscribes (also the RFC 8058 one-click target)
 */
import { CONFIRM_LINK_HOURS, signToken } from './tokens.ts';

/** Root-relative path of the subscribe form. */
export const SUBSCRIBE_PATH = '/subscribe';

/** Path of a confirmation link (fresh expiry each time it is made). */
export function confirmPath(key: string, subscriberId: number, nonce: string, now = new Date()): string {
  const expires = Math.floor(now.getTime() / 1000) + CONFIRM_LINK_HOURS * 3600;
  return `/subscribe/confirm/${signToken(key, 'confirm', subscriberId, { expires, nonce })}`;
}

/** Path of a subscriber's preferences page. */
export function managePath(key: string, subscriberId: number): string {
  return `/subscription/${signToken(key, 'manage', subscriberId)}`;
}

/** Path of a subscriber's unsubscribe link. */
export function unsubscribePath(key: string, subscriberId: number): string {
  return `/unsubscribe/${signToken(key, 'unsubscribe', subscriberId)}`;
}
