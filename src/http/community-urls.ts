/**
 * Addresses of the community pages and actions (issue 9):
 *
 *   /following                 the papers of what the reader follows (GET; `?hide=read`, list filters, page)
 *   /submit                    submit a paper by arXiv id or URL (GET the form, POST it)
 *   /papers/id/123/vote        the vote form (POST vote=1|0)      — JSON: POST|DELETE /api/papers/{ref}/vote
 *   /papers/id/123/reading     the reading form (POST state=read|dismissed|none)
 *                                                                — JSON: POST|DELETE /api/papers/{ref}/read, …/not-interested
 *   /follows                   the follow form (POST author|organization|category, follow=1|0)
 *                                                                — JSON: POST|DELETE /api/follows, GET /api/follows, GET /api/following
 * Forms address papers by numeric id: a card knows it, and it never needs escaping.
 */
import { type ListQuery, withListQuery } from './urls.ts';

/** The Following page. */
export function followingUrl(q: ListQuery = {}): string {
  return withListQuery('/following', q);
}

/** The submit page. */
export function submitUrl(): string {
  return '/submit';
}

/** Where a paper's vote form posts, and its JSON twin. */
export function voteUrls(paperId: number): { form: string; api: string } {
  return { form: `/papers/id/${paperId}/vote`, api: `/api/papers/id/${paperId}/vote` };
}

/** Where a paper's reading form posts, and the JSON endpoints of its two states. */
export function readingUrls(paperId: number): { form: string; read: string; notInterested: string } {
  return { form: `/papers/id/${paperId}/reading`, read: `/api/papers/id/${paperId}/read`, notInterested: `/api/papers/id/${paperId}/not-interested` };
}

/** Where follow forms post, and their JSON twin. */
export const FOLLOW_URLS = { form: '/follows', api: '/api/follows' } as const;
