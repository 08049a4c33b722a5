/**
 * The page's forms for the reader's controls, a user slot (user-slots.tsx): empty in the shared page; for a
 * signed-in reader, two hidden forms that carry their CSRF token and the way back to this page. The controls
 * on the cards are buttons and fields outside them that name them (`form="reader-actions"`, with
 * `formaction` saying which paper and what), so the controls are the same markup for every reader and live
 * in the shared, compressed page; only this small fragment holds the reader's token. Without JavaScript a
 * button posts its form; app.js sends the same change to the JSON API instead.
 *
 * They come early in the page (the header), so each form's first submit button is its own disabled one:
 * pressing Enter in a card's text field then submits nothing rather than whichever card came first.
 */
import type { Context } from 'hono';
import { COLLECTIONS_PATH } from '../content-urls.ts';
import { CSRF_FIELD, csrfToken } from '../csrf.ts';
import { defineUserSlot, UserSlot } from '../user-slots.tsx';
import { escapeHtml as esc } from './escape.ts';

/** The form that vote and reading buttons post (`formaction` names the paper's form address). */
export const READER_ACTIONS_FORM = 'reader-actions';
/** The form that the cards' "Save" menus post, their fields named after the paper (`note-123`). */
export const READER_SAVE_FORM = 'reader-save';

/** Where a form sends the reader back to: the page the slot is filled for (the route adds the card's anchor). */
export function backHere(c: Context): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

function form(id: string, action: string, csrf: string, back: string): string {
  return (
    `<form id="${id}" method="post" action="${action}" hidden><button type="submit" disabled tabindex="-1">Send</button>` +
    `<input type="hidden" name="${CSRF_FIELD}" value="${esc(csrf)}"/><input type="hidden" name="back" value="${esc(back)}"/></form>`
  );
}

/** The slot: one per page, id '-'. */
export const readerFormsSlot = defineUserSlot({
  name: 'reader-forms',
  render({ c, kinds }) {
    // Only pages with cards need them (an error page then stays the same for every address).
    if (!kinds.has('paper-actions') && !kinds.has('collect')) return new Map();
    const csrf = csrfToken(c);
    const back = backHere(c);
    // The actions form's own address is never used: every button that posts it says its formaction.
    return new Map([['-', form(READER_ACTIONS_FORM, '/', csrf, back) + form(READER_SAVE_FORM, `${COLLECTIONS_PATH}/save`, csrf, back)]]);
  },
});

/** Where the layout puts them. */
export function ReaderForms() {
  return <UserSlot slot={readerFormsSlot} />;
}
