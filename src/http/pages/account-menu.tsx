/**
 * The header's account menu, a user slot (user-slots.tsx): "Sign in" in the shared page, the reader's name,
 * their account page and a sign-out button once filled for a signed-in reader.
 */
import { isAdmin, userLabel } from '../../accounts/user.ts';
import { csrfToken, CSRF_FIELD } from '../csrf.ts';
import { defineUserSlot, UserSlot } from '../user-slots.tsx';

/** The slot: one per page, id '-'. */
export const accountMenuSlot = defineUserSlot({
  name: 'account',
  render({ c, user }) {
    const html = (
      <div class="account-menu">
        <a href="/account" class="account-name" title={user.email}>
          {userLabel(user)}
        </a>
        {isAdmin(user) && <a href="/admin/users">Admin</a>}
        <form method="post" action="/signout" class="inline-form">
          <input type="hidden" name={CSRF_FIELD} value={csrfToken(c)} />
          <button type="submit" class="link-button">
            Sign out
          </button>
        </form>
      </div>
    );
    return new Map([['-', String(html)]]);
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
