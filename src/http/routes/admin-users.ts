/**
 * /admin/users: accounts for admins (a signed-in admin or the admin token, admin-auth.ts) — invite
 * (POST /admin/users/invite), change a role (POST /admin/users/<id>/role), suspend or reinstate
 * (POST /admin/users/<id>/status). The last active admin cannot be demoted or suspended; every change is
 * in the audit log.
 */
import { type Context, Hono } from 'hono';
import { listUsers } from '../../accounts/accounts.repo.ts';
import { findUser, setRole, setStatus } from '../../accounts/accounts.service.ts';
import { inviteUser } from '../../accounts/invitations.ts';
import { userLabel } from '../../accounts/user.ts';
import { secretKeyOf } from '../../secret-key.ts';
import { EmailInput } from '../../subscriptions/subscription-input.ts';
import type { AppDeps } from '../app.ts';
import { adminOnly } from '../admin-auth.ts';
import { currentUser } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { csrfToken } from '../csrf.ts';
import { errorResponse } from '../errors.ts';
import { formFields } from '../params.ts';
import { adminUsersPage } from '../pages/admin-users.tsx';

const MESSAGES: Record<string, string> = {
  invited: 'Invitation sent: the link in it works once, for a week.',
  exists: 'That address has an account already.',
  domain: 'That address is outside ALLOWED_EMAIL_DOMAINS.',
  role: 'Role changed.',
  status: 'Status changed. A suspended account is signed out everywhere and its API tokens stop working.',
  'last-admin': 'That would leave no active administrator: make someone else an admin first.',
  'bad-email': 'That does not look like an email address.',
};

/** Routes mounted at /admin/users. */
export function adminUsersRoutes({ db, config }: AppDeps) {
  const ctx = { db: db.kysely, accounts: config.accounts, key: secretKeyOf(config) };
  const back = (c: Context, outcome: string) => c.redirect(`/admin/users?${['invited', 'role', 'status'].includes(outcome) ? 'notice' : 'error'}=${outcome}`, 303);
  const target = async (c: Context) => (/^[0-9]{1,9}$/.test(c.req.param('id') ?? '') ? findUser(db.kysely, Number(c.req.param('id'))) : undefined);
  const actorId = (c: Context) => currentUser(c)?.id ?? null;

  return new Hono()
    .use('*', adminOnly(config), async (c, next) => {
      sharedPagesUnchanged(c);
      await next();
      c.header('Cache-Control', 'private, no-store');
    })
    .get('/', async (c) => {
      const rows = await listUsers(db.kysely, { limit: 1000 });
      const users = rows.map((r) => ({ id: r.id, email: r.email, displayName: r.display_name, role: r.role, status: r.status, hasPassword: r.password_hash !== null, subscriberId: r.subscriber_id, createdAt: r.created_at, lastSignInAt: r.last_sign_in_at }));
      const notice = MESSAGES[c.req.query('notice') ?? ''];
      const error = MESSAGES[c.req.query('error') ?? ''];
      return c.html(adminUsersPage({ csrf: csrfToken(c), users, meId: currentUser(c)?.id, accounts: config.accounts, notice, error }));
    })
    .post('/invite', async (c) => {
      const body = await formFields(c);
      const email = EmailInput.safeParse(body.email);
      if (!email.success) return back(c, 'bad-email');
      const me = currentUser(c);
      const outcome = await inviteUser(ctx, { userId: me?.id ?? null, label: me ? userLabel(me) : 'An administrator' }, email.data, body.role === 'admin' ? 'admin' : 'member');
      return back(c, outcome === 'sent' ? 'invited' : outcome);
    })
    .post('/:id/role', async (c) => {
      const user = await target(c);
      if (!user) return errorResponse(c, 404);
      const role = (await formFields(c)).role === 'admin' ? 'admin' : 'member';
      return back(c, (await setRole(ctx, actorId(c), user, role)) === 'ok' ? 'role' : 'last-admin');
    })
    .post('/:id/status', async (c) => {
      const user = await target(c);
      if (!user) return errorResponse(c, 404);
      const status = (await formFields(c)).status === 'suspended' ? 'suspended' : 'active';
      return back(c, (await setStatus(ctx, actorId(c), user, status)) === 'ok' ? 'status' : 'last-admin');
    });
}
