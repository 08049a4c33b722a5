/**
 * Paperboy's URL scheme, in one place: every link a page renders and every reference a route accepts.
 *
 *   /papers/2401.01234        a paper with an arXiv id (old-style ids keep their slash: /papers/hep-th/9901001)
 *   /papers/id/123            a paper without an arXiv id, by its numeric id
 *   /api/papers/...           the same references, answered as JSON
 */
import { parseArxivId } from '../papers/normalize.ts';
import type { Paper } from '../papers/paper.ts';

/** How many papers one page of a list shows (HTML and JSON alike). */
export const PAGE_SIZE = 30;

/** A paper reference taken from a URL: an arXiv id (maybe versioned) or a numeric id. */
export type PaperRef = { arxivId: string; version?: number } | { id: number };

// arXiv ids only contain [A-Za-z0-9.-/], but encode each segment anyway so nothing stored can break out of a URL.
const encodePath = (value: string) => value.split('/').map(encodeURIComponent).join('/');

/** The canonical page of a paper: by arXiv id when it has one, else by numeric id. */
export function paperUrl(paper: Pick<Paper, 'id' | 'arxivId'>): string {
  return paper.arxivId ? `/papers/${encodePath(paper.arxivId)}` : `/papers/id/${paper.id}`;
}

/** The JSON twin of `paperUrl`. */
export function paperApiUrl(paper: Pick<Paper, 'id' | 'arxivId'>): string {
  return `/api${paperUrl(paper)}`;
}

/** The start page (newest papers) at a given page number; page 1 has no query string. */
export function homeUrl(page = 1): string {
  return page > 1 ? `/?page=${page}` : '/';
}

/** The JSON list of newest papers at a given page number. */
export function papersApiUrl(page = 1): string {
  return page > 1 ? `/api/papers?page=${page}` : '/api/papers';
}

/** Parses the part of a paper URL after `/papers/`; undefined when it is no reference at all. */
export function parsePaperRef(raw: string): PaperRef | undefined {
  const numeric = /^id\/(\d{1,10})$/.exec(raw);
  // Ids beyond a 32-bit integer cannot exist, and PostgreSQL would reject them as out of range.
  if (numeric) return Number(numeric[1]) <= 2 ** 31 - 1 ? { id: Number(numeric[1]) } : undefined;
  const arxiv = parseArxivId(raw);
  return arxiv ? { arxivId: arxiv.id, version: arxiv.version } : undefined;
}

/** Only http(s) links are rendered as links: a stored `javascript:` or `data:` URL must never become clickable. */
export function safeExternalUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The resolver link of a DOI. */
export function doiUrl(doi: string): string {
  return `https://doi.org/${encodePath(doi)}`;
}
