/** GET /archive (and /api/archive): every month and listing day with its paper count. */
import { createRoute, z } from '@hono/zod-openapi';
import { archiveMonths } from '../../listings/listings.service.ts';
import { parsePeriod, periodOf } from '../../listings/period.ts';
import { apiRouter, json, pageOf } from '../api/openapi.ts';
import type { AppDeps } from '../app.ts';
import { absoluteUrl } from '../json.ts';
import { archivePage } from '../pages/archive.tsx';
import { periodApiUrl } from '../urls.ts';

const archive = createRoute({
  method: 'get',
  path: '/archive',
  tags: ['lists'],
  summary: 'Every month and listing day, with its number of papers',
  responses: {
    200: json(
      z.object({
        months: z.array(
          z.object({
            month: z.string().meta({ example: '2026-11' }),
            count: z.number().int(),
            url: z.string(),
            days: z.array(z.object({ day: z.string(), count: z.number().int(), url: z.string() })),
          }),
        ),
      }),
      'Each URL is the JSON list of that month or day.',
    ),
  },
});

/** Routes of the archive; `format` picks the HTML page or its JSON twin. */
export function archiveRoutes({ db, config }: AppDeps, format: 'html' | 'json') {
  if (format === 'html') return apiRouter().openapi(pageOf(archive), async (c) => c.html(archivePage(await archiveMonths(db))));
  return apiRouter().openapi(archive, async (c) => {
    const months = await archiveMonths(db);
    return c.json(
      {
        months: months.map((m) => ({
          month: m.month,
          count: m.count,
          url: absoluteUrl(config, periodApiUrl(parsePeriod('month', m.month)!)),
          days: m.days.map((d) => ({ ...d, url: absoluteUrl(config, periodApiUrl(periodOf('day', d.day))) })),
        })),
      },
      200,
    );
  });
}
