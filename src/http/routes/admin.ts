/** /admin: the outbox (sent mail and the queue) and a button to send a day's digest now. Loopback or ADMIN_TOKEN only. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { adminOnly } from '../admin-auth.ts';
import { csrfToken } from '../csrf.ts';
import { emlPage, outboxPage } from '../pages/outbox.tsx';
import { allowMathStyles } from '../security.ts';
import { runDigest } from '../../digest/digest.service.ts';
import { isDay } from '../../listings/period.ts';
import { isEmlName, listEml, readEml } from '../../mail/eml-outbox.ts';
import { createMailer } from '../../mail/mailer.ts';
import { outboxCounts, recentMessages } from '../../mail/outbox.repo.ts';
import { countSubscribers } from '../../subscriptions/subscriptions.repo.ts';

/** Routes under /admin. */
export function adminRoutes({ db, config }: AppDeps) {
  const dir = config.mail.outboxDir;
  const fileMode = !config.mail.smtpUrl;
  return new Hono()
    .use('*', adminOnly(config.adminToken), async (c, next) => {
      await next();
      // Admin answers are for the one who asked: never kept by the response cache or a proxy.
      c.header('Cache-Control', 'private, no-store');
    })
    .get('/outbox', async (c) => {
      const notice = c.req.query('notice')?.slice(0, 200);
      return c.html(
        outboxPage({
          csrf: csrfToken(c),
          transport: createMailerDescription(config.mail.smtpUrl, dir),
          fileMode,
          files: fileMode ? await listEml(dir) : { messages: [], total: 0 },
          counts: await outboxCounts(db.kysely),
          queue: await recentMessages(db.kysely, 30),
          subscribers: await countSubscribers(db.kysely),
          notice,
        }),
      );
    })
    .get('/outbox/:name', async (c) => {
      const message = await readEml(dir, c.req.param('name'));
      return message ? c.html(emlPage(message)) : c.notFound();
    })
    .get('/outbox/:name/html', async (c) => {
      const message = await readEml(dir, c.req.param('name'));
      if (!message?.html) return c.notFound();
      // Mail HTML is styled inline (mail clients drop <style>); it has no scripts and loads nothing external.
      allowMathStyles(c);
      return c.html(message.html);
    })
    .get('/outbox/:name/raw', async (c) => {
      const name = c.req.param('name');
      if (!isEmlName(name)) return c.notFound();
      const body = await readFile(path.join(dir, name)).catch(() => undefined);
      if (!body) return c.notFound();
      c.header('Content-Type', 'message/rfc822');
      c.header('Content-Disposition', `attachment; filename="${name}"`);
      return c.body(body);
    })
    .post('/digest', async (c) => {
      const date = String((await c.req.parseBody()).date ?? '').trim();
      if (date && !isDay(date)) return c.redirect(`/admin/outbox?notice=${encodeURIComponent(`“${date.slice(0, 20)}” is not a day (YYYY-MM-DD).`)}`, 303);
      const mailer = createMailer(config.mail);
      try {
        const day = date || (await latestDay(db));
        if (!day) return c.redirect(`/admin/outbox?notice=${encodeURIComponent('The store has no listing days yet.')}`, 303);
        const r = await runDigest(db, config, mailer, { day, sendNow: true });
        const what = r.prepare?.skipped ? `nothing prepared (${r.prepare.skipped})` : `${r.prepare?.messages ?? 0} digests prepared`;
        return c.redirect(`/admin/outbox?notice=${encodeURIComponent(`${day}: ${what}; ${r.delivery.sent} mails sent.`)}`, 303);
      } finally {
        mailer.close();
      }
    });
}

async function latestDay(db: AppDeps['db']): Promise<string | undefined> {
  const row = await db.kysely.selectFrom('papers').select((eb) => eb.fn.max('announced_on').as('day')).executeTakeFirst();
  return (row?.day as string | null) ?? undefined;
}

function createMailerDescription(smtpUrl: string | undefined, dir: string): string {
  return smtpUrl ? `the SMTP server ${smtpUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}` : `.eml files in ${dir} (no SMTP_URL set)`;
}
