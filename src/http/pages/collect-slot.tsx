/**
 * A paper card's "Save" menu, a user slot (user-slots.tsx): nothing in the shared page; for a signed-in
 * reader, which of their collections hold the paper (each with a Remove button) and a form that saves it
 * into one of them, or into a new one named there, with a note. One render call for all the cards of a page:
 * the reader's collections and their memberships, two queries. Plain forms: it works without JavaScript.
 */
import type { Context } from 'hono';
import { myCollections, membershipsOf, type CollectionSummary } from '../../collections/collections.service.ts';
import { CSRF_FIELD, csrfToken } from '../csrf.ts';
import { collectionUrls, COLLECTIONS_PATH } from '../content-urls.ts';
import { defineUserSlot, UserSlot } from '../user-slots.tsx';
import { escapeHtml as esc } from './escape.ts';

/** Where a form sends the reader back to: the page the slot is filled for (the route adds the card's anchor). */
function here(c: Context): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

// A string, not JSX (same markup): it is built for every card of every signed-in request (bench:signed-in).
function saveMenu(paperId: number, mine: CollectionSummary[], held: Set<string>, csrf: string, back: string): string {
  const saved = mine.filter((m) => held.has(m.publicId));
  const open = mine.filter((m) => !held.has(m.publicId));
  const id = (part: string) => `collect-${paperId}-${part}`;
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}"/>`;
  const common = hidden(CSRF_FIELD, csrf) + hidden('paper', String(paperId));
  let out = `<details class="collect"><summary>${saved.length ? `★ Saved (${saved.length})` : '☆ Save'}</summary><div class="collect-panel">`;
  if (saved.length > 0) {
    out += '<ul class="collect-saved">';
    for (const m of saved) {
      out +=
        `<li>Saved in <a href="${esc(collectionUrls(m.publicId).page)}">${esc(m.name)}</a> <form method="post" action="${COLLECTIONS_PATH}/remove" class="inline-form">` +
        common + hidden('collection', m.publicId) + hidden('back', back) +
        `<button type="submit" class="link-button">Remove<span class="sr-only"> from ${esc(m.name)}</span></button></form></li>`;
    }
    out += '</ul>';
  }
  out += `<form method="post" action="${COLLECTIONS_PATH}/save" class="collect-form">${common}${hidden('back', back)}`;
  if (open.length > 0) {
    out += `<label for="${id('collection')}">Into <select id="${id('collection')}" name="collection">`;
    for (const m of open) out += `<option value="${esc(m.publicId)}">${esc(m.name)}</option>`;
    out += '<option value="">a new collection…</option></select></label>';
  }
  out +=
    `<label for="${id('new')}">${open.length > 0 ? 'New collection' : 'Into a new collection'} <input type="text" id="${id('new')}" name="new_name" maxlength="100" placeholder="${open.length > 0 ? 'only for “a new collection”' : 'Reading list'}"/></label>` +
    `<label for="${id('note')}">Note <input type="text" id="${id('note')}" name="note" maxlength="1000" placeholder="optional"/></label>` +
    '<button type="submit" class="small-button">Save</button></form></div></details>';
  return out;
}

/** The slot: one per card, id = the paper's numeric id. */
export const collectSlot = defineUserSlot({
  name: 'collect',
  async render({ c, user, ids, db }) {
    const paperIds = ids.map(Number).filter(Number.isSafeInteger);
    const [mine, held] = await Promise.all([myCollections(db, user), membershipsOf(db, user, paperIds)]);
    const csrf = csrfToken(c);
    const back = here(c);
    return new Map(paperIds.map((id) => [String(id), saveMenu(id, mine, new Set(held.get(id)), csrf, back)]));
  },
});

/** A card's "Save" menu: empty for signed-out readers (the shared page), the reader's menu once filled. */
export function CollectControl({ paperId }: { paperId: number }) {
  return <UserSlot slot={collectSlot} id={String(paperId)} />;
}
