/**
 * The header's account menu, a user slot (user-slots.tsx): "Sign in" in the shared page, the reader's name,
 * their account page and a sign-out button once filled for a signed-in reader.
 */
import { isAdmin, userLabel } from '../../accounts/user.ts';
import { csrfToken, CSRF_FIELD } from '../csrf.ts';
import { defineUserSlot, UserSlot } from '../user-slots.tsx';
import { escapeHtml } from './escape.ts';

/** The slot: one per page, id '-'. */
export const accountMenuSlot = defineUserSlot({
  name: 'account',
  // A string, not JSX: it is filled into every page of every signed-in request.
  render({ c, user }) {
    const html =
      `<div class="account-menu"><a href="/account" class="account-name" title="${escapeHtml(user.email)}">${escapeHtml(userLabel(user))}</a>` +
      (isAdmin(user) ? '<a href="/admin/users">Admin</a>' : '') +
      `<form method="post" action="/signout" class="inline-form"><input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(csrfToken(c))}"/><button type="submit" class="link-button">Sign out</button></form></div>`;
    return new Map([['-', html]]);
  },
});

/** The account menu as the shared page has it. */
export function AccountMenu() {
  return (
    <UserSlot slot={accountMenuSlot}>
      <div class="account-menu">
        <a href="/signin">Sign in</a>
      </div>
    </UserSlot>
  );
}
