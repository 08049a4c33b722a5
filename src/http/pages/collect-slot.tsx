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

/** Where a form sends the reader back to: the page the slot is filled for (the route adds the card's anchor). */
function here(c: Context): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

function SaveMenu({ paperId, mine, held, csrf, back }: { paperId: number; mine: CollectionSummary[]; held: Set<string>; csrf: string; back: string }) {
  const saved = mine.filter((m) => held.has(m.publicId));
  const open = mine.filter((m) => !held.has(m.publicId));
  const id = (part: string) => `collect-${paperId}-${part}`;
  return (
    <details class="collect">
      <summary>{saved.length ? `★ Saved (${saved.length})` : '☆ Save'}</summary>
      <div class="collect-panel">
        {saved.length > 0 && (
          <ul class="collect-saved">
            {saved.map((m) => (
              <li>
                Saved in <a href={collectionUrls(m.publicId).page}>{m.name}</a>{' '}
                <form method="post" action={`${COLLECTIONS_PATH}/remove`} class="inline-form">
                  <input type="hidden" name={CSRF_FIELD} value={csrf} />
                  <input type="hidden" name="paper" value={String(paperId)} />
                  <input type="hidden" name="collection" value={m.publicId} />
                  <input type="hidden" name="back" value={back} />
                  <button type="submit" class="link-button">
                    Remove<span class="sr-only"> from {m.name}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action={`${COLLECTIONS_PATH}/save`} class="collect-form">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <input type="hidden" name="paper" value={String(paperId)} />
          <input type="hidden" name="back" value={back} />
          {open.length > 0 && (
            <label for={id('collection')}>
              Into{' '}
              <select id={id('collection')} name="collection">
                {open.map((m) => (
                  <option value={m.publicId}>{m.name}</option>
                ))}
                <option value="">a new collection…</option>
              </select>
            </label>
          )}
          <label for={id('new')}>
            {open.length > 0 ? 'New collection' : 'Into a new collection'}{' '}
            <input type="text" id={id('new')} name="new_name" maxlength={100} placeholder={open.length > 0 ? 'only for “a new collection”' : 'Reading list'} />
          </label>
          <label for={id('note')}>
            Note <input type="text" id={id('note')} name="note" maxlength={1000} placeholder="optional" />
          </label>
          <button type="submit" class="small-button">
            Save
          </button>
        </form>
      </div>
    </details>
  );
}

/** The slot: one per card, id = the paper's numeric id. */
export const collectSlot = defineUserSlot({
  name: 'collect',
  async render({ c, user, ids, db }) {
    const paperIds = ids.map(Number).filter(Number.isSafeInteger);
    const [mine, held] = await Promise.all([myCollections(db, user), membershipsOf(db, user, paperIds)]);
    const csrf = csrfToken(c);
    const back = here(c);
    return new Map(paperIds.map((id) => [String(id), String(<SaveMenu paperId={id} mine={mine} held={new Set(held.get(id))} csrf={csrf} back={back} />)]));
  },
});

/** A card's "Save" menu: empty for signed-out readers (the shared page), the reader's menu once filled. */
export function CollectControl({ paperId }: { paperId: number }) {
  return <UserSlot slot={collectSlot} id={String(paperId)} />;
}
