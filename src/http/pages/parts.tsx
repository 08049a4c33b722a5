/** Small pieces several pages use: dates, upvotes, external links. */
import type { Child } from 'hono/jsx';
import { safeExternalUrl } from '../urls.ts';
import { formatDay, isoDay } from './format.ts';

/** A date as readable text inside a machine-readable `<time>`. */
export function Day({ value }: { value: string }) {
  return <time datetime={isoDay(value)}>{formatDay(value)}</time>;
}

/** The upvote count; the arrow is decoration, the word is for screen readers. */
export function Upvotes({ count }: { count: number }) {
  return (
    <span class="upvotes" title={`${count} upvotes`}>
      <span aria-hidden="true">▲</span> {count}
      <span class="sr-only"> upvotes</span>
    </span>
  );
}

/**
 * A link out of Paperboy. Renders nothing for a URL that is not http(s), since stored links come from
 * imported files and a `javascript:` one must never become clickable.
 */
export function ExternalLink({ href, children }: { href: string | null | undefined; children?: Child }) {
  const url = safeExternalUrl(href);
  if (!url) return null;
  return (
    <a href={url} rel="noopener noreferrer nofollow">
      {children}
    </a>
  );
}
