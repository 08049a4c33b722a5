/** GET /papers/:ref — one paper's page, by arXiv id or /papers/id/N — and /papers/:ref/authors, its whole byline. */
import { type Context, Hono } from 'hono';
import { isNew } from '../../listings/listings.service.ts';
import type { Paper } from '../../papers/paper.ts';
import { similarPapers } from '../../search/similar.ts';
import { threadOf } from '../../comments/comments.service.ts';
import type { AppDeps } from '../app.ts';
import { paperAuthorsPage } from '../pages/paper-authors.tsx';
import { paperHasMath, paperPage } from '../pages/paper.tsx';
import { findPaper } from '../papers.queries.ts';
import { allowMathStyles } from '../security.ts';
import { paperUrl, parsePaperRef } from '../urls.ts';

/** How many similar papers a paper page lists. */
const SIMILAR = 6;

/** Routes of paper pages, mounted at /papers. */
export function paperRoutes({ db, searchDeps, now = () => new Date() }: AppDeps) {
  /**
   * The paper a URL names, or the response to send instead: a 404, or a 301 to its one URL (versioned ids,
   * `arXiv:` spellings and /papers/id/N of arXiv papers all redirect), `suffix` kept.
   */
  const lookup = async (c: Context, suffix = ''): Promise<Paper | Response> => {
    const ref = parsePaperRef(c.req.param('ref') ?? '');
    const paper = ref && (await findPaper(db, ref));
    if (!paper) return c.notFound();
    const canonical = paperUrl(paper) + suffix;
    return c.req.path === canonical ? paper : c.redirect(canonical, 301);
  };

  // `{.+}` lets old-style arXiv ids keep their slash (/papers/hep-th/9901001).
  return new Hono()
    .get('/:ref{.+}/authors', async (c) => {
      const paper = await lookup(c, '/authors');
      if (paper instanceof Response) return paper;
      return paper.authors.length > 0 ? c.html(paperAuthorsPage({ paper })) : c.notFound();
    })
    .get('/:ref{.+}', async (c) => {
      const paper = await lookup(c);
      if (paper instanceof Response) return paper;
      const [similar, thread] = await Promise.all([similarPapers(db, paper.id, SIMILAR, searchDeps), threadOf(db, paper.id)]);
      if (paperHasMath({ paper, similar }) || thread.math) allowMathStyles(c);
      return c.html(paperPage({ paper, similar, isNew: isNew(paper, now()), thread }));
    });
}
