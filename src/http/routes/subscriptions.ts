/**
 * Subscribing without an account: GET/POST /subscribe, /subscribe/confirm/<token>?with=…, /subscription/<token>
 * (preferences and alerts), /unsubscribe/<token> (GET confirms with a button; POST unsubscribes, which is also
 * the RFC 8058 one-click target mail clients POST to, so it needs no CSRF token — the signed URL is the secret).
 */
import { type Context, Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { clientAddress } from '../client-address.ts';
import { csrfToken } from '../csrf.ts';
import { formFields } from '../params.ts';
import { badLinkPage, checkInboxPage, confirmPage, subscribePage, tooManyPage } from '../pages/subscribe.tsx';
import { managePage, unsubscribedPage, unsubscribePage } from '../pages/subscription.tsx';
import { secretKeyOf } from '../../secret-key.ts';
import { managePath, unsubscribePath } from '../../subscriptions/links.ts';
import { AlertInput, fieldErrors, MAX_ALERTS, PreferencesInput, SubscribeInput } from '../../subscriptions/subscription-input.ts';
import * as service from '../../subscriptions/subscriptions.service.ts';
import type { SubscriberRow } from '../../subscriptions/subscriptions.service.ts';

const form = formFields;

/** Routes of subscriptions, mounted at the root. */
export function subscriptionRoutes({ db, config }: AppDeps) {
  const ctx = { db: db.kysely, key: secretKeyOf(config) };
  const manageUrl = (sub: SubscriberRow) => managePath(ctx.key, sub.id);

  const renderManage = async (c: Context, sub: SubscriberRow, extra: { notice?: string; errors?: Record<string, string>; alertValues?: Record<string, string | null> } = {}, status: 200 | 400 = 200) =>
    c.html(
      managePage({
        csrf: csrfToken(c),
        action: manageUrl(sub),
        unsubscribeUrl: unsubscribePath(ctx.key, sub.id),
        sub,
        alerts: await service.listAlerts(ctx, sub),
        hour: config.digest.hour,
        errors: extra.errors ?? {},
        notice: extra.notice,
        alertValues: extra.alertValues,
      }),
      status,
    );

  const withSubscriber = async (c: Context, purpose: 'manage' | 'unsubscribe') => service.subscriberForLink(ctx, purpose, c.req.param('token') ?? '');
  const confirmationLink = (c: Context): service.ConfirmationLink => ({ token: c.req.param('token') ?? '', with: c.req.query('with') });

  return new Hono()
    .get('/subscribe', (c) => c.html(subscribePage({ csrf: csrfToken(c), values: {}, errors: {}, defaultSize: config.digest.size, hour: config.digest.hour })))
    .post('/subscribe', async (c) => {
      const body = await form(c);
      const parsed = SubscribeInput.safeParse(body);
      if (!parsed.success) {
        const values = { ...body, digest: body.digest === 'on' };
        return c.html(subscribePage({ csrf: csrfToken(c), values, errors: fieldErrors(parsed.error), defaultSize: config.digest.size, hour: config.digest.hour }), 400);
      }
      const v = parsed.data;
      const outcome = await service.subscribe(ctx, {
        email: v.email,
        timeZone: v.time_zone,
        digest: v.digest,
        digestSize: v.digest_size ?? config.digest.size,
        alertQuery: v.alert_query,
        client: clientAddress(c, config.trustProxyHops),
      });
      if (outcome === 'too-many') return c.html(tooManyPage(), 429);
      return c.html(checkInboxPage(v.email));
    })
    .get('/subscribe/confirm/:token', async (c) => {
      const link = confirmationLink(c);
      const found = await service.checkConfirmation(ctx, link);
      if (!found) return c.html(badLinkPage('confirm'), 404);
      const action = link.with ? `${c.req.path}?with=${encodeURIComponent(link.with)}` : c.req.path;
      return c.html(confirmPage({ csrf: csrfToken(c), email: found.sub.email, action, choices: found.choices, hour: config.digest.hour }));
    })
    .post('/subscribe/confirm/:token', async (c) => {
      const done = await service.confirm(ctx, confirmationLink(c));
      if (!done) return c.html(badLinkPage('confirm'), 404);
      return c.redirect(`${manageUrl(done.sub)}?confirmed=1${done.alert === 'too-many' ? '&alerts=full' : ''}`, 303);
    })
    .get('/subscription/:token', async (c) => {
      const sub = await withSubscriber(c, 'manage');
      if (!sub) return c.html(badLinkPage('manage'), 404);
      const full = c.req.query('alerts') === 'full' ? ` Your alert was not added: a subscription keeps at most ${MAX_ALERTS}; remove one to add it.` : '';
      const notice = c.req.query('confirmed') ? `Subscription confirmed. Welcome!${full}` : c.req.query('saved') ? 'Saved.' : undefined;
      return renderManage(c, sub, { notice });
    })
    .post('/subscription/:token', async (c) => {
      const sub = await withSubscriber(c, 'manage');
      if (!sub) return c.html(badLinkPage('manage'), 404);
      const parsed = PreferencesInput.safeParse(await form(c));
      if (!parsed.success) return renderManage(c, sub, { errors: fieldErrors(parsed.error) }, 400);
      await service.updatePreferences(ctx, sub, { timeZone: parsed.data.time_zone, digest: parsed.data.digest, digestSize: parsed.data.digest_size });
      return c.redirect(`${manageUrl(sub)}?saved=1`, 303);
    })
    .post('/subscription/:token/alerts', async (c) => {
      const sub = await withSubscriber(c, 'manage');
      if (!sub) return c.html(badLinkPage('manage'), 404);
      const body = await form(c);
      const parsed = AlertInput.safeParse(body);
      if (!parsed.success) return renderManage(c, sub, { errors: { alert: parsed.error.issues[0].message }, alertValues: body }, 400);
      if ((await service.addAlert(ctx, sub, parsed.data)) === 'too-many') {
        return renderManage(c, sub, { errors: { alert: 'You have the most alerts one subscription can keep; remove one first.' } }, 400);
      }
      return c.redirect(`${manageUrl(sub)}?saved=1`, 303);
    })
    .post('/subscription/:token/alerts/:id{[0-9]{1,9}}/delete', async (c) => {
      const sub = await withSubscriber(c, 'manage');
      if (!sub) return c.html(badLinkPage('manage'), 404);
      await service.deleteAlert(ctx, sub, Number(c.req.param('id')));
      return c.redirect(`${manageUrl(sub)}?saved=1`, 303);
    })
    .get('/unsubscribe/:token', async (c) => {
      const sub = await withSubscriber(c, 'unsubscribe');
      if (!sub) return c.html(badLinkPage('manage'), 404);
      return c.html(unsubscribePage(csrfToken(c), sub.email, c.req.path, sub.status === 'unsubscribed'));
    })
    .post('/unsubscribe/:token', async (c) => {
      const sub = await withSubscriber(c, 'unsubscribe');
      if (!sub) return c.html(badLinkPage('manage'), 404);
      await service.unsubscribe(ctx, sub);
      return c.html(unsubscribedPage(sub.email, manageUrl(sub)));
    });
}

/** The requests exempt from CSRF checks: RFC 8058 one-click unsubscribe, authenticated by its signed URL. */
export function isOneClickUnsubscribe(c: Context): boolean {
  return c.req.method === 'POST' && /^\/unsubscribe\/[^/]+$/.test(c.req.path);
}
