/** GET /collections: the reader's collections with a form for a new one, and the public collections of everyone. */
import type { Child } from 'hono/jsx';
import type { CollectionSummary } from '../../collections/collections.service.ts';
import { COLLECTION_LIMITS } from '../../collections/collections.service.ts';
import type { CollectionVisibility } from '../../db/schema.collections.ts';
import { assetUrl } from '../assets/assets.ts';
import { signInUrl } from '../auth.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { collectionUrls, COLLECTIONS_PATH } from '../content-urls.ts';
import { formatCount } from './format.ts';
import { Layout } from './layout.tsx';
import { Pager } from './list-parts.tsx';
import { Day } from './parts.tsx';
import { FieldError, subscriptionStyles } from './subscribe.tsx';

/** The stylesheets of the collection and comment pages. */
export const peopleStyles = (
  <>
    {subscriptionStyles}
    <link rel="stylesheet" href={assetUrl('people.css')} />
  </>
);

/** What each visibility means, for the forms. */
export const VISIBILITY_WORDS: Record<CollectionVisibility, string> = {
  private: 'Private — only you',
  unlisted: 'Unlisted — anyone with the link',
  public: 'Public — anyone, and listed here',
};

/** The name, description and visibility fields of the new-collection and settings forms. */
export function CollectionFields({ values = {}, errors = {} }: { values?: { name?: string; description?: string; visibility?: CollectionVisibility }; errors?: Record<string, string> }) {
  return (
    <>
      <div class="field">
        <label for="name">Name</label>
        <input type="text" id="name" name="name" required maxlength={COLLECTION_LIMITS.name} value={values.name ?? ''} aria-invalid={errors.name ? 'true' : undefined} aria-describedby={errors.name ? 'name-error' : undefined} />
        <FieldError id="name" error={errors.name} />
      </div>
      <div class="field">
        <label for="description">Description (optional)</label>
        <textarea id="description" name="description" rows={2} maxlength={COLLECTION_LIMITS.description}>
          {values.description ?? ''}
        </textarea>
        <FieldError id="description" error={errors.description} />
      </div>
      <fieldset class="field">
        <legend>Who can see it</legend>
        {(Object.keys(VISIBILITY_WORDS) as CollectionVisibility[]).map((v) => (
          <label class="check">
            <input type="radio" name="visibility" value={v} checked={(values.visibility ?? 'private') === v} /> {VISIBILITY_WORDS[v]}
          </label>
        ))}
      </fieldset>
    </>
  );
}

/** One collection in a list. */
export function CollectionCard({ c, showOwner }: { c: CollectionSummary; showOwner?: boolean }) {
  return (
    <li>
      <h3>
        <a href={collectionUrls(c.publicId).page}>{c.name}</a> <span class={`visibility ${c.visibility}`}>{c.visibility}</span>
      </h3>
      {c.description && <p>{c.description.length > 200 ? `${c.description.slice(0, 199)}…` : c.description}</p>}
      <p>
        {formatCount(c.paperCount)} {c.paperCount === 1 ? 'paper' : 'papers'}
        {showOwner && <> · by {c.ownerName}</>} · updated <Day value={c.updatedAt} />
      </p>
    </li>
  );
}

/** What the collections page shows. */
export interface CollectionsPageProps {
  /** The reader's, when signed in (with the form's CSRF token). */
  mine?: { collections: CollectionSummary[]; csrf: string; errors?: Record<string, string>; values?: Parameters<typeof CollectionFields>[0]['values'] };
  everyone: { collections: CollectionSummary[]; page: number; pageCount: number };
  children?: Child;
}

/** The page. */
export function collectionsPage({ mine, everyone }: CollectionsPageProps) {
  return (
    <Layout title="Collections" head={peopleStyles} canonical={COLLECTIONS_PATH}>
      <h1>Collections</h1>
      <p class="lede">Lists of papers with a note on each: for a reading group, a literature review, or later.</p>
      {mine ? (
        <section aria-labelledby="mine-title">
          <h2 id="mine-title">Your collections</h2>
          {mine.collections.length ? (
            <ul class="collection-list">
              {mine.collections.map((c) => (
                <CollectionCard c={c} />
              ))}
            </ul>
          ) : (
            <p>None yet. Make one here, or save a paper from any list with its “☆ Save” menu.</p>
          )}
          <details open={mine.collections.length === 0 || Object.keys(mine.errors ?? {}).length > 0}>
            <summary>New collection</summary>
            <form class="form narrow" method="post" action={COLLECTIONS_PATH}>
              <input type="hidden" name={CSRF_FIELD} value={mine.csrf} />
              <CollectionFields values={mine.values} errors={mine.errors} />
              <button class="button" type="submit">
                Make the collection
              </button>
            </form>
          </details>
        </section>
      ) : (
        <p>
          <a href={signInUrl(COLLECTIONS_PATH)}>Sign in</a> to make your own collections.
        </p>
      )}
      <section aria-labelledby="public-title">
        <h2 id="public-title">Public collections</h2>
        {everyone.collections.length ? (
          <ul class="collection-list">
            {everyone.collections.map((c) => (
              <CollectionCard c={c} showOwner />
            ))}
          </ul>
        ) : (
          <p>No public collections yet.</p>
        )}
        <Pager page={everyone.page} pageCount={everyone.pageCount} href={(p) => (p > 1 ? `${COLLECTIONS_PATH}?page=${p}` : COLLECTIONS_PATH)} />
      </section>
    </Layout>
  );
}
