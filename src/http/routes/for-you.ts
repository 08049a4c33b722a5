/**
 * The For-you pages: GET /for-you (recommendations with reasons and steering, onboarding for a new
 * reader), GET /for-you/model (what was learned), POST /for-you/steer, /for-you/onboarding and
 * /for-you/reset (forms with CSRF, answered by a redirect), and the private feeds
 * GET /for-you/feed/{user}-{token}.{rss|atom} (?collection= for one collection's stream).
 */
import { Hono } from 'hono';
import { findCollection } from '../../collections/collections.service.ts';
import { filteredPaperIds } from '../../filter/paper-filter.repo.ts';
import { renderFeed, feedContentType, type FeedFormat } from '../../feeds/feed-xml.ts';
import { getPapers } from '../../papers/papers.repo.ts';
import { DEFAULT_DAYS, OnboardingForm, PREPARING_RETRY_SECONDS, RecommendQuery, SteerForm } from '../../recommend/recommend.schemas.ts';
import {
  chooseCategories,
  feedOwner,
  feedToken,
  learnedSummary,
  recommendationsFor,
  resetModel,
  settingsOf,
  steer,
  unsteer,
} from '../../recommend/recommend.service.ts';
import type { AppDeps } from '../app.ts';
import { personalUser, requireUser, safeNextPath } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { csrfToken } from '../csrf.ts';
import { errorResponse } from '../errors.ts';
import { FOR_YOU_URLS, forYouPage, learnedModelPage } from '../pages/for-you.tsx';
import { titlesHaveMath } from '../pages/markup.ts';
import { formFields, validationMessage } from '../params.ts';
import { allowMathStyles } from '../security.ts';
import { paperFeedItem } from './feeds.ts';

/** Categories offered at onboarding: the store's most common primary categories. */
const ONBOARDING_CATEGORIES = ['cs.CV', 'cs.CL', 'cs.AI', 'cs.LG', 'cs.RO', 'cs.IR', 'cs.IT', 'cs.GR', 'cs.CR', 'cs.HC', 'stat.ML', 'eess.IV'];

/** The private feed's address of a reader (`collection`: one collection's stream). */
export function forYouFeedUrl(settings: { user_id: number; feed_nonce: string }, format: FeedFormat = 'atom', collection?: string): string {
  return `/for-you/feed/${settings.user_id}-${feedToken(settings)}.${format}${collection ? `?collection=${encodeURIComponent(collection)}` : ''}`;
}

/** Routes of the For-you pages, mounted at /. */
export function forYouRoutes({ db, config, now = () => new Date() }: AppDeps) {
  const back = (raw: string | undefined) => (raw && safeNextPath(raw) === raw ? raw : FOR_YOU_URLS.page);
  return new Hono()
    .get(FOR_YOU_URLS.page, async (c) => {
      requireUser(c);
      const user = personalUser(c)!;
      const q = RecommendQuery.safeParse({ days: c.req.query('days'), limit: c.req.query('limit') });
      if (!q.success) return errorResponse(c, 400, validationMessage(q.error));
      const [list, settings] = await Promise.all([recommendationsFor(db, user.id, { days: q.data.days, limit: q.data.limit, now: now() }), settingsOf(db, user.id, now())]);
      const onboarding = list.needsOnboarding ? { categories: ONBOARDING_CATEGORIES, papers: await getPapers(db.kysely, await filteredPaperIds(db, {}, 'hotness', 6)) } : undefined;
      if (titlesHaveMath(list.items.map((i) => i.paper))) allowMathStyles(c);
      c.header('Cache-Control', 'private, no-store');
      return c.html(forYouPage({ items: list.items, needsOnboarding: list.needsOnboarding, days: q.data.days, csrf: csrfToken(c), onboarding, preparing: list.preparing, feedUrl: forYouFeedUrl(settings) }));
    })
    .get(FOR_YOU_URLS.model, async (c) => {
      requireUser(c);
      const user = personalUser(c)!;
      const summary = await learnedSummary(db, user.id, now());
      c.header('Cache-Control', 'private, no-store');
      return c.html(learnedModelPage({ summary, csrf: csrfToken(c) }));
    })
    .post(FOR_YOU_URLS.steer, async (c) => {
      const user = requireUser(c);
      const form = SteerForm.safeParse(await formFields(c));
      if (!form.success) return errorResponse(c, 400, validationMessage(form.error));
      if (form.data.undo) await unsteer(db, user.id, form.data.kind, form.data.value);
      // The real clock, as votes and saves are stamped: how recent a signal is decides whether the next page waits for its retrain.
      else await steer(db, user.id, form.data.kind, form.data.value);
      sharedPagesUnchanged(c);
      return c.redirect(back(form.data.back), 303);
    })
    .post(FOR_YOU_URLS.onboarding, async (c) => {
      const user = requireUser(c);
      const body = await c.req.parseBody({ all: true });
      const form = OnboardingForm.safeParse({ category: body.category });
      if (!form.success) return errorResponse(c, 400, validationMessage(form.error));
      const picked = [form.data.category ?? []].flat().filter((x) => ONBOARDING_CATEGORIES.includes(x));
      await chooseCategories(db, user.id, picked, now());
      sharedPagesUnchanged(c);
      return c.redirect(FOR_YOU_URLS.page, 303);
    })
    .post(FOR_YOU_URLS.reset, async (c) => {
      const user = requireUser(c);
      // The real clock, as votes and saves are stamped: signals given after the reset count again.
      await resetModel(db, user.id);
      sharedPagesUnchanged(c);
      return c.redirect(FOR_YOU_URLS.model, 303);
    })
    .get('/for-you/feed/:key{[0-9]{1,10}-[A-Za-z0-9_-]{32}\\.(rss|atom)}', async (c) => {
      const key = c.req.param('key');
      const [, id, token, format] = /^(\d+)-([A-Za-z0-9_-]{32})\.(rss|atom)$/.exec(key)!;
      const userId = await feedOwner(db, Number(id), token);
      if (userId === undefined) return c.notFound();
      const q = RecommendQuery.safeParse({ collection: c.req.query('collection') });
      if (!q.success) return c.notFound();
      let collectionId: number | undefined;
      let title = 'For you';
      if (q.data.collection) {
        const collection = await findCollection(db, q.data.collection);
        if (!collection || collection.user_id !== userId) return c.notFound();
        collectionId = collection.id;
        title = `For you: more like “${collection.name}”`;
      }
      const list = await recommendationsFor(db, userId, { days: DEFAULT_DAYS, limit: 50, collectionId, now: now() });
      // An empty feed would look like "nothing for you" and be kept for minutes: a feed reader retries a 503.
      if (list.preparing) return c.body('Your recommendations are being prepared.', 503, { 'Retry-After': String(PREPARING_RETRY_SECONDS), 'Cache-Control': 'no-store' });
      const base = config.publicBaseUrl;
      const items = list.items.map((i) => {
        const item = paperFeedItem(base, i.paper);
        return { ...item, summary: `Why: ${i.why}\n\n${item.summary}` };
      });
      const body = renderFeed(format as FeedFormat, { title, description: 'Papers recommended for one reader, with the reasons.', selfUrl: base + c.req.path, siteUrl: base + FOR_YOU_URLS.page }, items);
      // The address is the secret: never kept by shared caches.
      c.header('Cache-Control', 'private, max-age=300');
      c.header('X-Robots-Tag', 'noindex');
      return c.body(body, 200, { 'Content-Type': feedContentType(format as FeedFormat) });
    });
}
