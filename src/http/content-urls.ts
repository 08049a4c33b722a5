/**
 * Addresses of people's content (issue 9): collections and comments.
 *
 *   /collections                      your collections and the public ones (GET); a new one (POST)
 *   /collections/save, …/remove       a paper card's "Save" and "Remove" forms (POST collection, paper, note, back)
 *   /collections/<id>                 one collection (private: its owner only; unlisted: anyone with the link)
 *   /collections/<id>/settings|delete|papers|papers/remove|import   its owner's forms (POST; GET import for the form)
 *   /collections/<id>/feed.xml        RSS (`?format=atom` for Atom) — /collections/<id>/collection.bib  BibTeX
 *   /comments                         a new comment or reply (POST paper, parent, body)
 *   /comments/<n>/edit|delete         its author's forms (GET edit for the form)
 *   /account/comments                 the reader's comments and the reply-mail setting
 *   /admin/comments, /admin/audit     moderation: recent comments (hide, suspend their author), the audit log
 * JSON: /api/collections…, /api/papers/{ref}/comments, /api/comments/{id} (routes/*-api.ts).
 * A collection's <id> is its random public id: an unlisted collection's address cannot be guessed.
 */
import type { FeedFormat } from '../feeds/feed-xml.ts';

/** The collections page. */
export const COLLECTIONS_PATH = '/collections';

/** A collection's page and the addresses of what it offers. */
export function collectionUrls(publicId: string) {
  const page = `${COLLECTIONS_PATH}/${publicId}`;
  return {
    page,
    feed: (format: FeedFormat = 'rss') => (format === 'atom' ? `${page}/feed.xml?format=atom` : `${page}/feed.xml`),
    bibtex: `${page}/collection.bib`,
    import: `${page}/import`,
    settings: `${page}/settings`,
    delete: `${page}/delete`,
    papers: `${page}/papers`,
    removePaper: `${page}/papers/remove`,
    api: `/api${page}`,
  };
}

/** Where comment forms post. */
export const commentUrls = {
  create: '/comments',
  edit: (id: number) => `/comments/${id}/edit`,
  delete: (id: number) => `/comments/${id}/delete`,
  mine: '/account/comments',
  moderate: (id: number, action: 'hide' | 'unhide' | 'suspend-author') => `/admin/comments/${id}/${action}`,
};
