/**
 * GET /collections/<id>: a collection's papers with their notes, its feeds and BibTeX; for its owner also the
 * forms that change it (settings, delete, add a paper, a note per paper, remove, import).
 */
import type { CollectionEntry, CollectionSummary } from '../../collections/collections.service.ts';
import { COLLECTION_LIMITS, COLLECTION_PAGE } from '../../collections/collections.service.ts';
import { assetUrl } from '../assets/assets.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { collectionUrls } from '../content-urls.ts';
import { feedLinks } from '../feed-urls.ts';
import { CollectionFields, peopleStyles, VISIBILITY_WORDS } from './collections.tsx';
import { formatCount } from './format.ts';
import { Layout } from './layout.tsx';
import { EmptyList, Pager, PaperItem } from './list-parts.tsx';
import { titlesHaveMath } from './markup.ts';
import { Day } from './parts.tsx';
import { Notice } from './account-parts.tsx';

/** What a collection page shows. */
export interface CollectionPageProps {
  collection: CollectionSummary;
  entries: CollectionEntry[];
  page: number;
  pageCount: number;
  /** Set for the owner: the forms' token. */
  owner?: { csrf: string; errors?: Record<string, string>; references?: { total: number; titles: string[] } };
  notice?: string;
}

function Hidden({ csrf }: { csrf: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={csrf} />;
}

/** A paper's note and, for the owner, the forms to change the note or take the paper out. */
function EntryParts({ entry, urls, csrf }: { entry: CollectionEntry; urls: ReturnType<typeof collectionUrls>; csrf?: string }) {
  const id = `note-${entry.paper.id}`;
  return (
    <>
      {entry.note && <p class="entry-note">{entry.note}</p>}
      <p class="muted-note">
        Added <Day value={entry.addedAt} />
      </p>
      {csrf && (
        <div class="entry-tools">
          <details>
            <summary>{entry.note ? 'Edit the note' : 'Add a note'}</summary>
            <form method="post" action={urls.papers} class="comment-form">
              <Hidden csrf={csrf} />
              <input type="hidden" name="paper" value={`id/${entry.paper.id}`} />
              <label for={id} class="sr-only">
                Note
              </label>
              <textarea id={id} name="note" rows={3} maxlength={COLLECTION_LIMITS.note}>
                {entry.note}
              </textarea>
              <button type="submit" class="small-button">
                Save the note
              </button>
            </form>
          </details>
          <form method="post" action={urls.removePaper} class="inline-form">
            <Hidden csrf={csrf} />
            <input type="hidden" name="paper" value={String(entry.paper.id)} />
            <button type="submit" class="small-button danger">
              Remove
            </button>
          </form>
        </div>
      )}
    </>
  );
}

/** The page. */
export function collectionPage({ collection: c, entries, page, pageCount, owner, notice }: CollectionPageProps) {
  const urls = collectionUrls(c.publicId);
  const errors = owner?.errors ?? {};
  const math = titlesHaveMath(entries.map((e) => e.paper));
  return (
    <Layout
      title={c.name}
      description={c.description || `A collection of ${c.paperCount} papers by ${c.ownerName}.`}
      canonical={urls.page}
      head={
        <>
          {peopleStyles}
          {math && <link rel="stylesheet" href={assetUrl('katex.css')} />}
          {/* Private collections are their owner's: search engines index none of them, nor unlisted ones. */}
          {c.visibility !== 'public' && <meta name="robots" content="noindex" />}
        </>
      }
      feeds={c.visibility === 'private' ? undefined : feedLinks(`Paperboy collection: ${c.name}`, urls.feed)}
    >
      {notice && <Notice kind="ok">{notice}</Notice>}
      {errors[''] && <Notice kind="warn">{errors['']}</Notice>}
      <div class="collection-head">
        <h1>{c.name}</h1>
        <span class={`visibility ${c.visibility}`} title={VISIBILITY_WORDS[c.visibility]}>
          {c.visibility}
        </span>
      </div>
      <p class="muted-note">
        By {c.ownerName} · {formatCount(c.paperCount)} {c.paperCount === 1 ? 'paper' : 'papers'} · updated <Day value={c.updatedAt} />
      </p>
      {c.description && <p class="collection-description">{c.description}</p>}
      <ul class="collection-links" aria-label="This collection as">
        <li>
          <a href={urls.feed('rss')}>RSS</a>
        </li>
        <li>
          <a href={urls.feed('atom')}>Atom</a>
        </li>
        <li>
          <a href={urls.bibtex}>BibTeX</a>
        </li>
        {owner && (
          <li>
            <a href={urls.import}>Import a BibTeX, RIS or CSL-JSON file</a>
          </li>
        )}
      </ul>
      {c.visibility === 'private' && owner && <p class="muted-note">Only you can see this collection, its feeds and its BibTeX. Make it unlisted to share its link.</p>}

      {entries.length ? (
        <ol class="paper-list" start={(page - 1) * COLLECTION_PAGE + 1}>
          {entries.map((e) => (
            <PaperItem paper={e.paper}>
              <EntryParts entry={e} urls={urls} csrf={owner?.csrf} />
            </PaperItem>
          ))}
        </ol>
      ) : (
        <EmptyList title="No papers yet">
          <p>{owner ? 'Save papers from any list with their “☆ Save” menu, add one below by its arXiv id, or import a file.' : 'Nothing is in this collection yet.'}</p>
        </EmptyList>
      )}
      <Pager page={page} pageCount={pageCount} href={(p) => (p > 1 ? `${urls.page}?page=${p}` : urls.page)} />

      {owner?.references && owner.references.total > 0 && (
        <details class="kept-references">
          <summary>
            {owner.references.total === 1 ? '1 reference' : `${formatCount(owner.references.total)} references`} used as text for your recommendations
          </summary>
          <p class="muted-note">From files you imported: not in Paperboy, so known by their title (and abstract). Only you see them; they go with the collection.</p>
          <ul>
            {owner.references.titles.map((t) => (
              <li>{t}</li>
            ))}
          </ul>
          {owner.references.total > owner.references.titles.length && <p class="muted-note">and {formatCount(owner.references.total - owner.references.titles.length)} more</p>}
        </details>
      )}

      {owner && (
        <section class="owner-tools" aria-labelledby="owner-title">
          <h2 id="owner-title">Change this collection</h2>
          <details open={Boolean(errors.paper)}>
            <summary>Add a paper</summary>
            <form class="form narrow" method="post" action={urls.papers}>
              <Hidden csrf={owner.csrf} />
              <div class="field">
                <label for="add-paper">arXiv id or link</label>
                <input type="text" id="add-paper" name="paper" required maxlength={200} placeholder="2401.01234" aria-invalid={errors.paper ? 'true' : undefined} />
                {errors.paper && <p class="field-error">{errors.paper}</p>}
              </div>
              <div class="field">
                <label for="add-note">Note (optional)</label>
                <textarea id="add-note" name="note" rows={2} maxlength={COLLECTION_LIMITS.note}></textarea>
              </div>
              <button class="button" type="submit">
                Add
              </button>
            </form>
          </details>
          <details open={Boolean(errors.name || errors.description)}>
            <summary>Name, description and who can see it</summary>
            <form class="form narrow" method="post" action={urls.settings}>
              <Hidden csrf={owner.csrf} />
              <CollectionFields values={{ name: c.name, description: c.description, visibility: c.visibility }} errors={errors} />
              <button class="button" type="submit">
                Save
              </button>
            </form>
          </details>
          <details>
            <summary>Delete this collection</summary>
            <form class="form narrow" method="post" action={urls.delete}>
              <Hidden csrf={owner.csrf} />
              <p>The collection, its notes and the references it keeps as text go; the papers stay on Paperboy.</p>
              <button class="button danger" type="submit">
                Delete “{c.name}”
              </button>
            </form>
          </details>
        </section>
      )}
    </Layout>
  );
}
