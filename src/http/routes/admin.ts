/** /admin: the outbox (sent mail and the queue) and a button to send a day's digest now. Admin token only (admin-auth.ts). */
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { adminOnly } from '../admin-auth.ts';
import { csrfToken } from '../csrf.ts';
import { emlPage, outboxPage } from '../pages/outbox.tsx';
import { allowMathStyles } from '../security.ts';
import { isDay } from '../../listings/period.ts';
import { outboxMessage, outboxMessageFile, outboxOverview, sendDigestNow } from '../../subscriptions/admin.service.ts';

const withNotice = (notice: string) => `/admin/outbox?notice=${encodeURIComponent(notice)}`;

/** Routes under /admin. */
export function adminRoutes({ db, config }: AppDeps) {
  return new Hono()
    .use('*', adminOnly(config), async (c, next) => {
      await next();
      // Admin answers are for the one who asked: never kept by the response cache or a proxy.
      c.header('Cache-Control', 'private, no-store');
    })
    .get('/', (c) => c.redirect('/admin/outbox', 303))
    .get('/outbox', async (c) => {
      const notice = c.req.query('notice')?.slice(0, 200);
      return c.html(outboxPage({ csrf: csrfToken(c), ...(await outboxOverview(db, config)), notice }));
    })
    .get('/outbox/:name', async (c) => {
      const message = await outboxMessage(config, c.req.param('name'));
      return message ? c.html(emlPage(message)) : c.notFound();
    })
    .get('/outbox/:name/html', async (c) => {
      const message = await outboxMessage(config, c.req.param('name'));
      if (!message?.html) return c.notFound();
      // Mail HTML is styled inline (mail clients drop <style>); it has no scripts and loads nothing external.
      allowMathStyles(c);
      return c.html(message.html);
    })
    .get('/outbox/:name/raw', async (c) => {
      const name = c.req.param('name');
      const body = await outboxMessageFile(config, name);
      if (!body) return c.notFound();
      c.header('Content-Type', 'message/rfc822');
      c.header('Content-Disposition', `attachment; filename="${name}"`);
      return c.body(new Uint8Array(body));
    })
    .post('/digest', async (c) => {
      const date = String((await c.req.parseBody()).date ?? '').trim();
      if (date && !isDay(date)) return c.redirect(withNotice(`“${date.slice(0, 20)}” is not a day (YYYY-MM-DD).`), 303);
      const { notice } = await sendDigestNow(db, config, date || undefined);
      return c.redirect(withNotice(notice), 303);
    });
}
