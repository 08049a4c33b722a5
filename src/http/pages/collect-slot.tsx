/**
 * A paper card's "Save" menu, a user slot (user-slots.tsx): nothing for anonymous readers. Signed-in readers
 * without collections all see the same menu — a name for a new collection and a note, fields of the page's
 * save form (reader-forms.tsx) named after the paper — so it is the slot's member part, in the shared page.
 * A reader with collections gets per card which of them hold the paper (each with a Remove button) and a
 * choice among the others: their collections, then the memberships of the page's papers, two queries. Plain
 * forms: it works without JavaScript.
 */
import { hasCollections, membershipsOf, myCollections, type CollectionSummary } from '../../collections/collections.service.ts';
import { CSRF_FIELD, csrfToken } from '../csrf.ts';
import { collectionUrls, COLLECTIONS_PATH } from '../content-urls.ts';
import { defineUserSlot, UserSlot } from '../user-slots.tsx';
import { escapeHtml as esc } from './escape.ts';
import { backHere, READER_SAVE_FORM } from './reader-forms.tsx';

const F = `form="${READER_SAVE_FORM}"`;

// A string, not JSX (same markup): it is built for every card of every signed-in request (bench:signed-in).
function saveMenu(paperId: number, mine: CollectionSummary[], held: Set<string>, remove: { csrf: string; back: string } | undefined): string {
  const saved = mine.filter((m) => held.has(m.publicId));
  const open = mine.filter((m) => !held.has(m.publicId));
  const id = (part: string) => `collect-${paperId}-${part}`;
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}"/>`;
  let out = `<details class="collect"><summary>${saved.length ? `★ Saved (${saved.length})` : '☆ Save'}</summary><div class="collect-panel">`;
  if (saved.length > 0 && remove) {
    out += '<ul class="collect-saved">';
    for (const m of saved) {
      out +=
        `<li>Saved in <a href="${esc(collectionUrls(m.publicId).page)}">${esc(m.name)}</a> <form method="post" action="${COLLECTIONS_PATH}/remove" class="inline-form">` +
        hidden(CSRF_FIELD, remove.csrf) + hidden('paper', String(paperId)) + hidden('collection', m.publicId) + hidden('back', remove.back) +
        `<button type="submit" class="link-button">Remove<span class="sr-only"> from ${esc(m.name)}</span></button></form></li>`;
    }
    out += '</ul>';
  }
  out += '<div class="collect-form">';
  if (open.length > 0) {
    out += `<label for="${id('collection')}">Into <select id="${id('collection')}" ${F} name="collection-${paperId}">`;
    for (const m of open) out += `<option value="${esc(m.publicId)}">${esc(m.name)}</option>`;
    out += '<option value="">a new collection…</option></select></label>';
  }
  out +=
    `<label for="${id('new')}">${open.length > 0 ? 'New collection' : 'Into a new collection'} <input type="text" id="${id('new')}" ${F} name="new_name-${paperId}" maxlength="100" placeholder="${open.length > 0 ? 'only for “a new collection”' : 'Reading list'}"/></label>` +
    `<label for="${id('note')}">Note <input type="text" id="${id('note')}" ${F} name="note-${paperId}" maxlength="1000" placeholder="optional"/></label>` +
    `<button type="submit" ${F} name="paper" value="${paperId}" class="small-button">Save</button></div></div></details>`;
  return out;
}

/** The slot: one per card, id = the paper's numeric id. */
export const collectSlot = defineUserSlot({
  name: 'collect',
  async render({ c, user, ids, db }) {
    // Most readers have no collection yet: one indexed lookup, and every card keeps the shared menu.
    if (!(await hasCollections(db, user))) return new Map();
    const paperIds = ids.map(Number).filter(Number.isSafeInteger);
    const [mine, held] = await Promise.all([myCollections(db, user), membershipsOf(db, user, paperIds)]);
    const remove = { csrf: csrfToken(c), back: backHere(c) };
    return new Map(paperIds.map((id) => [String(id), saveMenu(id, mine, new Set(held.get(id)), remove)]));
  },
});

/** A card's "Save" menu: empty for signed-out readers, the shared menu for signed-in ones, filled for readers with collections. */
export function CollectControl({ paperId }: { paperId: number }) {
  return <UserSlot slot={collectSlot} id={String(paperId)} member={saveMenu(paperId, [], new Set(), undefined)} />;
}
