/**
 * The community forms that work without JavaScript: POST /papers/id/{id}/vote, POST /papers/id/{id}/reading
 * and POST /follows, each answered with a redirect back to where the reader was (`back`, a path on this
 * site); GET and POST /submit; GET /following. Their JSON twins are community-api.ts and follows-api.ts.
 */
import { type Context, Hono } from 'hono';
import { FollowForm, ReadingForm, SubmitForm, VoteForm } from '../../community/community.schemas.ts';
import { follow, followingListing, followsOf, type FollowTarget, unfollow } from '../../community/follows.service.ts';
import { findPaperKey } from '../../community/paper-key.repo.ts';
import { setReadingState } from '../../community/reading.service.ts';
import { submitPaper } from '../../community/submissions.service.ts';
import { setVote } from '../../community/votes.service.ts';
import { isNew } from '../../listings/listings.service.ts';
import type { AppDeps } from '../app.ts';
import { requireUser, safeNextPath } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { followingUrl } from '../community-urls.ts';
import { csrfToken } from '../csrf.ts';
import { errorResponse, pastLastPage } from '../errors.ts';
import { followingPage } from '../pages/following.tsx';
import { titlesHaveMath } from '../pages/markup.ts';
import { submitPage } from '../pages/submit.tsx';
import { formFields, listQueryParam, validationMessage } from '../params.ts';
import { readerListFilter } from '../reader-filter.ts';
import { allowMathStyles } from '../security.ts';
import { PAGE_SIZE, paperUrl } from '../urls.ts';
import { submissionResult, submitterLookup } from './submissions-shared.ts';

/** `back` when it is a path on this site, else `fallback`. */
function backTo(raw: string | undefined, fallback: string): string {
  return raw && safeNextPath(raw) === raw ? raw : fallback;
}

/** Back to the card of paper `id` on the page `raw` (a page's shared actions form says only the page). */
function backToCard(raw: string | undefined, id: number, fallback: string): string {
  const to = backTo(raw, fallback);
  return to === fallback || to.includes('#') ? to : `${to}#paper-${id}`;
}

/** Routes of the community forms and pages, mounted at /. */
export function communityRoutes(deps: AppDeps) {
  const { db, now = () => new Date() } = deps;
  const lookup = submitterLookup(deps);
  const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());
  const paperById = (c: Context) => findPaperKey(db.kysely, { id: Number(c.req.param('id')) });

  return new Hono()
    .post('/papers/id/:id{[0-9]{1,9}}/vote', async (c) => {
      const user = requireUser(c);
      const form = VoteForm.safeParse(await formFields(c));
      if (!form.success) return errorResponse(c, 400, validationMessage(form.error));
      const paper = await paperById(c);
      const outcome = paper && (await setVote(db, user, paper.id, form.data.vote === '1'));
      if (!paper || !outcome || outcome.status === 'not-found') return errorResponse(c, 404);
      if (outcome.status === 'rate-limited') {
        c.header('Retry-After', String(outcome.retryAfterSeconds));
        return errorResponse(c, 429, 'Too many votes in a minute. Wait a moment, go back and try again.', 'Too many votes');
      }
      return c.redirect(backToCard(form.data.back, paper.id, paperUrl(paper)), 303);
    })
    .post('/papers/id/:id{[0-9]{1,9}}/reading', async (c) => {
      const user = requireUser(c);
      const form = ReadingForm.safeParse(await formFields(c));
      if (!form.success) return errorResponse(c, 400, validationMessage(form.error));
      const paper = await paperById(c);
      const outcome = paper && (await setReadingState(db, user, paper.id, form.data.state === 'none' ? null : form.data.state));
      if (!paper || !outcome || outcome.status === 'not-found') return errorResponse(c, 404);
      sharedPagesUnchanged(c);
      return c.redirect(backToCard(form.data.back, paper.id, paperUrl(paper)), 303);
    })
    .post('/follows', async (c) => {
      const user = requireUser(c);
      const form = FollowForm.safeParse(await formFields(c));
      if (!form.success) return errorResponse(c, 400, validationMessage(form.error));
      const { author, organization, category } = form.data;
      const target: FollowTarget | undefined = author ? { author: Number(author) } : organization ? { organization } : category ? { category } : undefined;
      if (!target) return errorResponse(c, 400, 'Say what to follow: an author, an organization or a category.');
      const outcome = form.data.follow === '1' ? await follow(db, user, target) : await unfollow(db, user, target);
      if (outcome.status === 'not-found') return errorResponse(c, 404, 'There is no such author, organization or category to follow.');
      if (outcome.status === 'too-many') return errorResponse(c, 400, 'You follow as many things as an account may. Stop following something first.');
      sharedPagesUnchanged(c);
      return c.redirect(backTo(form.data.back, followingUrl()), 303);
    })
    .get('/submit', (c) => {
      requireUser(c);
      return c.html(submitPage({ csrf: csrfToken(c) }));
    })
    .post('/submit', async (c) => {
      const user = requireUser(c);
      const form = SubmitForm.safeParse(await formFields(c));
      if (!form.success) return c.html(submitPage({ csrf: csrfToken(c), value: '', error: validationMessage(form.error) }), 400);
      const outcome = await submitPaper(db, lookup, user, form.data.arxiv, now());
      const result = submissionResult(outcome, form.data.arxiv);
      if (outcome.status === 'rate-limited') c.header('Retry-After', String(outcome.retryAfterSeconds));
      const done = outcome.status === 'ok' ? { url: paperUrl({ id: outcome.paperId, arxivId: outcome.arxivId }), outcome } : undefined;
      // A new paper is a 200 page here (the API says 201); a failure keeps what the reader typed.
      return c.html(submitPage({ csrf: csrfToken(c), value: done ? '' : form.data.arxiv, error: result.error, done }), result.status === 201 ? 200 : result.status);
    })
    .get('/following', async (c) => {
      const user = requireUser(c);
      const parsed = listQueryParam((name) => c.req.queries(name), false);
      if (!parsed.ok) return errorResponse(c, 400, parsed.error);
      const query = parsed.query;
      const [list, follows] = await Promise.all([followingListing(db, user.id, { page: query.page, perPage: PAGE_SIZE, filter: readerListFilter(c, query) }), followsOf(db, user.id)]);
      if (query.page > list.pageCount) return pastLastPage(c, query.page, list.pageCount, (page) => followingUrl({ ...query, page }));
      if (titlesHaveMath(list.papers)) allowMathStyles(c);
      // Whose list it is decides what it holds: never shared (the signed-in answer is private already).
      c.header('Cache-Control', 'private, no-store');
      return c.html(followingPage({ list, follows, query, isNew: fresh, csrf: csrfToken(c) }));
    });
}
