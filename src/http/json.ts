/** The JSON shapes of the list API: papers with absolute URLs, pages with absolute prev/next links. */
import type { Config } from '../config.ts';
import type { Paper } from '../papers/paper.ts';
import { paperUrl } from './urls.ts';

/** Turns a root-relative path into an absolute URL on the public base. */
export function absoluteUrl(config: Config, path: string): string {
  return `${config.publicBaseUrl}${path}`;
}

/** A paper as the list API returns it: every stored field plus the absolute URL of its page. */
export function paperJson(config: Config, paper: Paper, isNew?: (paper: Paper) => boolean) {
  return { ...paper, url: absoluteUrl(config, paperUrl(paper)), ...(isNew ? { isNew: isNew(paper) } : {}) };
}

/** Paging fields shared by every list: where this page is and the absolute URLs of its neighbours. */
export function pageJson(config: Config, list: { page: number; pageCount: number; total?: number }, perPage: number, href: (page: number) => string) {
  return {
    page: list.page,
    pageCount: list.pageCount,
    perPage,
    // null when the list did not count itself (search); `next` then says whether there is more.
    total: list.total ?? null,
    prev: list.page > 1 ? absoluteUrl(config, href(list.page - 1)) : null,
    next: list.page < list.pageCount ? absoluteUrl(config, href(list.page + 1)) : null,
  };
}
