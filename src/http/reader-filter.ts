/**
 * The one place a list's paper filter meets the reader: `?hide=read` adds the paper filter's `unseenBy` for
 * the signed-in reader (personalUser), which makes the answer theirs alone. Every list route builds its
 * filter here, so lists, search and the Following page hide the same papers.
 */
import type { Context } from 'hono';
import type { PaperFilter } from '../filter/paper-filter.ts';
import { personalUser } from './auth.ts';
import { listFilter } from './params.ts';
import type { ListQuery } from './urls.ts';

/** The paper filter of a list query for this request. */
export function readerListFilter(c: Context, q: ListQuery): PaperFilter {
  const filter = listFilter(q);
  if (q.hide !== 'read') return filter;
  // Such a URL is one reader's view: never kept by the response cache or a proxy, even when nobody is signed in
  // (a shared copy made for nobody would otherwise be served to the next reader who is).
  c.header('Cache-Control', 'private, no-store');
  const user = personalUser(c);
  return user ? { ...filter, unseenBy: user.id } : filter;
}
