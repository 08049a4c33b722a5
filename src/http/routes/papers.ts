/** GET /papers/:ref — one paper's page, by arXiv id or /papers/id/N. */
import { Hono } from 'hono';
import { isNew } from '../../listings/listings.service.ts';
import { similarPapers } from '../../search/similar.ts';
import type { AppDeps } from '../app.ts';
import { paperHasMath, paperPage } from '../pages/paper.tsx';
import { findPaper } from '../papers.queries.ts';
import { allowMathStyles } from '../security.ts';
import { paperUrl, parsePaperRef } from '../urls.ts';

/** How many similar papers a paper page lists. */
const SIMILAR = 6;

/** Routes of paper pages, mounted at /papers. */
export function paperRoutes({ db, searchDeps, now = () => new Date() }: AppDeps) {
  // `{.+}` lets old-style arXiv ids keep their slash (/papers/hep-th/9901001).
  return new Hono().get('/:ref{.+}', async (c) => {
    const ref = parsePaperRef(c.req.param('ref'));
    if (!ref) return c.notFound();
    const paper = await findPaper(db, ref);
    if (!paper) return c.notFound();
    // One URL per paper: versioned ids, `arXiv:` spellings and /papers/id/N of arXiv papers all redirect.
    const canonical = paperUrl(paper);
    if (c.req.path !== canonical) return c.redirect(canonical, 301);
    if (paperHasMath(paper)) allowMathStyles(c);
    const similar = await similarPapers(db, paper.id, SIMILAR, searchDeps);
    return c.html(paperPage({ paper, similar, isNew: isNew(paper, now()) }));
  });
}
