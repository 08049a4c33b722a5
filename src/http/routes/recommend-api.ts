/** GET /api/recommendations: the For-you list (or one collection's stream) as JSON, with the same reasons. */
import { createRoute, z } from '@hono/zod-openapi';
import { findCollection } from '../../collections/collections.service.ts';
import { recommendationsFor } from '../../recommend/recommend.service.ts';
import { reasonText } from '../../recommend/reasons.ts';
import { PREPARING_RETRY_SECONDS, RecommendQuery } from '../../recommend/recommend.schemas.ts';
import { SIGNAL_KINDS } from '../../recommend/signals.ts';
import { apiError, apiRouter, errors, json, SIGNED_IN } from '../api/openapi.ts';
import { PaperJson } from '../api/schemas.ts';
import type { AppDeps } from '../app.ts';
import { ownedOr404, requireUser } from '../auth.ts';
import { paperUrl } from '../urls.ts';

const ReasonJson = z
  .object({
    kind: z.enum(['similar', 'terms', 'author', 'category', 'organization']),
    text: z.string().meta({ example: 'like “Paper X” you saved' }),
    share: z.number().meta({ description: 'This reason’s part of the paper’s score (0–1).' }),
    paper: z.object({ id: z.string(), title: z.string() }).optional(),
    signal: z.enum(SIGNAL_KINDS).optional(),
    terms: z.array(z.string()).optional(),
    name: z.string().optional(),
    category: z.string().optional(),
    followed: z.boolean().optional(),
  })
  .openapi('RecommendationReason');

const RecommendationJson = z
  .object({ paper: PaperJson, score: z.number(), why: z.string(), reasons: z.array(ReasonJson) })
  .openapi('Recommendation');

const list = createRoute({
  method: 'get',
  path: '/recommendations',
  tags: ['recommendations'],
  summary: 'Papers of the newest listing days ranked for the signed-in reader, each with its reasons',
  description: '`collection` (a collection id) ranks for that collection alone, like its private feed. A reader with no signal yet gets `needsOnboarding: true` and no papers.',
  security: SIGNED_IN,
  request: { query: RecommendQuery },
  responses: {
    200: json(z.object({ needsOnboarding: z.boolean(), preparing: z.boolean().openapi({ description: 'The model or listing is still being prepared: no recommendations yet, ask again in a few seconds.' }), days: z.number().int(), recommendations: z.array(RecommendationJson) }), 'The recommendations, best first.'),
    ...errors(400, 401, 404),
  },
});

/** Routes mounted at /api. */
export function recommendApiRoutes({ db, config, now = () => new Date() }: AppDeps) {
  return apiRouter().openapi(list, async (c) => {
    const user = requireUser(c);
    const q = c.req.valid('query');
    let collectionId: number | undefined;
    if (q.collection) collectionId = ownedOr404(c, await findCollection(db, q.collection)).id;
    const result = await recommendationsFor(db, user.id, { days: q.days, limit: q.limit, collectionId, now: now() });
    if (!result) return apiError(c, 404);
    // Being prepared in the background: ask again shortly (the page reloads itself after as long).
    if (result.preparing) c.header('Retry-After', String(PREPARING_RETRY_SECONDS));
    return c.json(
      {
        needsOnboarding: result.needsOnboarding,
        preparing: result.preparing,
        days: q.days,
        recommendations: result.items.map((i) => ({
          paper: { ...i.paper, url: `${config.publicBaseUrl}${paperUrl(i.paper)}` },
          score: i.score,
          why: i.why,
          reasons: i.reasons.map((r) => ({ ...r, text: reasonText(r) })),
        })),
      },
      200,
    );
  });
}
