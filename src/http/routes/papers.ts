/** GET /papers/:ref — one paper's page, by arXiv id or /papers/id/N. */
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { paperPage } from '../pages/paper.tsx';
import { findPaper } from '../papers.queries.ts';
import { paperUrl, parsePaperRef } from '../urls.ts';

/** Routes of paper pages, mounted at /papers. */
export function paperRoutes({ db }: AppDeps) {
  // `{.+}` lets old-style arXiv ids keep their slash (/papers/hep-th/9901001).
  return new Hono().get('/:ref{.+}', async (c) => {
    const ref = parsePaperRef(c.req.param('ref'));
    if (!ref) return c.notFound();
    const paper = await findPaper(db, ref);
    if (!paper) return c.notFound();
    // One URL per paper: versioned ids, `arXiv:` spellings and /papers/id/N of arXiv papers all redirect.
    const canonical = paperUrl(paper);
    if (c.req.path !== canonical) return c.redirect(canonical, 301);
    return c.html(paperPage(paper));
  });
}
