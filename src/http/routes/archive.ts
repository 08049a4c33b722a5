/** GET /archive (and /api/archive): every month and listing day with its paper count. */
import { Hono } from 'hono';
import { archiveMonths } from '../../listings/listings.service.ts';
import { parsePeriod, periodOf } from '../../listings/period.ts';
import type { AppDeps } from '../app.ts';
import { absoluteUrl } from '../json.ts';
import { archivePage } from '../pages/archive.tsx';
import { periodApiUrl, periodUrl } from '../urls.ts';

/** Routes of the archive; `format` picks the HTML page or its JSON twin. */
export function archiveRoutes({ db, config }: AppDeps, format: 'html' | 'json') {
  const link = format === 'json' ? periodApiUrl : periodUrl;
  return new Hono().get('/archive', async (c) => {
    const months = await archiveMonths(db);
    if (format === 'html') return c.html(archivePage(months));
    return c.json({
      months: months.map((m) => ({
        month: m.month,
        count: m.count,
        url: absoluteUrl(config, link(parsePeriod('month', m.month)!)),
        days: m.days.map((d) => ({ ...d, url: absoluteUrl(config, link(periodOf('day', d.day))) })),
      })),
    });
  });
}
