/**
 * The collection pages and forms (mounted at /collections; the addresses are in content-urls.ts). Handlers
 * validate a form with its schema, call one service function and redirect (303) or render. Another account's
 * private collection is a 404 everywhere — its page, feeds, BibTeX and every form — exactly what a collection
 * that does not exist answers.
 */
import { type Context, Hono } from 'hono';
import type { z } from 'zod';
import { ownedBy, type Owned } from '../../accounts/user.ts';
import { AddByRefForm, CollectionForm, PUBLIC_ID, RemoveForm, SaveForm } from '../../collections/collections.schemas.ts';
import * as collections from '../../collections/collections.service.ts';
import { importReferences, ReferenceFileError } from '../../collections/import.service.ts';
import { feedContentType, renderFeed } from '../../feeds/feed-xml.ts';
import { bibtex } from '../../papers/bibtex.ts';
import type { AppDeps } from '../app.ts';
import { currentUser, ownedOr404, requireUser, safeNextPath } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { collectionUrls, COLLECTIONS_PATH } from '../content-urls.ts';
import { csrfToken } from '../csrf.ts';
import { errorResponse } from '../errors.ts';
import { formFields, pageParam } from '../params.ts';
import { collectionImportPage } from '../pages/collection-import.tsx';
import { collectionPage } from '../pages/collection.tsx';
import { collectionsPage } from '../pages/collections.tsx';
import { allowMathStyles } from '../security.ts';
import { titlesHaveMath } from '../pages/markup.ts';
import { paperFeedItem } from './feeds.ts';
import { importDeps, paperIdFromRef, uploadedText } from './collections-shared.ts';

const NOTICES: Record<string, string> = {
  created: 'The collection is ready. Save papers into it from any list with their “☆ Save” menu.',
  saved: 'Saved.',
  added: 'The paper is in the collection.',
  removed: 'The paper is out of the collection.',
};
const ID = `{${PUBLIC_ID.source.slice(1, -1)}}`;

/** A schema's problems by field, for a form shown again ('' for the form as a whole). */
function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? '')] ??= issue.message;
  return out;
}

/**
 * A card's own fields of the page's save form (pages/reader-forms.tsx): every card's fields are named after
 * its paper (`note-123`) and come along; the pressed Save button says which paper (`paper=123`).
 */
function cardFields(fields: Record<string, string>): Record<string, string> {
  const paper = fields.paper;
  if (!paper || !/^\d{1,10}$/.test(paper)) return fields;
  const own = { ...fields };
  for (const name of ['collection', 'new_name', 'note']) if (own[name] === undefined && fields[`${name}-${paper}`] !== undefined) own[name] = fields[`${name}-${paper}`];
  return own;
}

/** Routes mounted at /collections. */
export function collectionRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const find = (c: Context) => collections.findCollection(db, c.req.param('id') ?? '');
  /** The signed-in owner's collection, or the request ends (401 signed out, 404 someone else's). */
  const owned = async (c: Context, publicId = c.req.param('id') ?? ''): Promise<Owned<collections.CollectionRow>> => {
    requireUser(c);
    return ownedOr404(c, await collections.findCollection(db, publicId));
  };
  const back = (c: Context, mine: collections.CollectionRow, notice?: string) => c.redirect(`${collectionUrls(mine.public_id).page}${notice ? `?notice=${notice}` : ''}`, 303);

  const listPage = async (c: Context, form?: { errors: Record<string, string>; values: Record<string, string> }, status: 200 | 400 = 200) => {
    const user = currentUser(c);
    const page = pageParam(c.req.query('page'));
    if (page === undefined) return errorResponse(c, 400, 'The page number must be a whole number from 1.');
    const everyone = await collections.publicCollections(db, page);
    if (page > everyone.pageCount) return c.notFound();
    const mine = user && { collections: await collections.myCollections(db, user), csrf: csrfToken(c), errors: form?.errors, values: form?.values as never };
    return c.html(collectionsPage({ mine, everyone: { ...everyone, page } }), status);
  };

  const showPage = async (c: Context, row: collections.CollectionRow, errors?: Record<string, string>, status: 200 | 400 = 200) => {
    const user = currentUser(c);
    const page = pageParam(c.req.query('page'));
    if (page === undefined) return errorResponse(c, 400, 'The page number must be a whole number from 1.');
    const list = await collections.collectionPapers(db, row, page);
    if (page > list.pageCount) return c.notFound();
    if (titlesHaveMath(list.entries.map((e) => e.paper))) allowMathStyles(c);
    // The owner's view has forms; anyone else's is the same for everyone, but never kept: a collection changes.
    const mine = ownedBy(user, row);
    const owner = mine ? { csrf: csrfToken(c), errors, references: await collections.keptReferences(db, mine) } : undefined;
    c.header('Cache-Control', 'private, no-store');
    const notice = NOTICES[c.req.query('notice') ?? ''];
    return c.html(collectionPage({ collection: await collections.summarize(db, row), entries: list.entries, page, pageCount: list.pageCount, owner, notice }), status);
  };

  const readable = async (c: Context) => {
    const row = await find(c);
    return collections.readableBy(currentUser(c), row) ? row : undefined;
  };

  return new Hono()
    .get('/', (c) => listPage(c))
    .post('/', async (c) => {
      const user = requireUser(c);
      const fields = await formFields(c);
      const parsed = CollectionForm.safeParse(fields);
      if (!parsed.success) return listPage(c, { errors: fieldErrors(parsed.error), values: fields }, 400);
      const made = await collections.createCollection(db, user, parsed.data);
      if (made === 'too-many') return listPage(c, { errors: { name: `An account holds at most ${collections.COLLECTION_LIMITS.perUser} collections.` }, values: fields }, 400);
      sharedPagesUnchanged(c);
      return back(c, made, 'created');
    })
    // A card's "Save" menu: into one of the reader's collections, or a new one it names.
    .post('/save', async (c) => {
      const user = requireUser(c);
      const parsed = SaveForm.safeParse(cardFields(await formFields(c)));
      if (!parsed.success) return errorResponse(c, 400, parsed.error.issues[0].message);
      const { paper, collection, new_name, note, back: to } = parsed.data;
      let target: Owned<collections.CollectionRow>;
      if (collection) target = await owned(c, collection);
      else {
        const made = await collections.createCollection(db, user, { name: new_name! });
        if (made === 'too-many') return errorResponse(c, 400, `An account holds at most ${collections.COLLECTION_LIMITS.perUser} collections.`);
        target = await owned(c, made.public_id);
      }
      const paperId = await paperIdFromRef(db, `id/${paper}`);
      if (paperId === undefined) return c.notFound();
      if ((await collections.addPaper(db, target, paperId, note || undefined)) === 'full') return errorResponse(c, 400, `A collection holds at most ${collections.COLLECTION_LIMITS.papers.toLocaleString('en')} papers.`);
      sharedPagesUnchanged(c);
      return c.redirect(`${safeNextPath(to).replace(/#.*$/, '')}#paper-${paperId}`, 303);
    })
    .post('/remove', async (c) => {
      requireUser(c);
      const parsed = RemoveForm.safeParse(await formFields(c));
      if (!parsed.success) return errorResponse(c, 400, parsed.error.issues[0].message);
      const target = await owned(c, parsed.data.collection);
      await collections.removePaper(db, target, Number(parsed.data.paper));
      sharedPagesUnchanged(c);
      return c.redirect(`${safeNextPath(parsed.data.back).replace(/#.*$/, '')}#paper-${parsed.data.paper}`, 303);
    })
    .get(`/:id${ID}`, async (c) => {
      const row = await readable(c);
      return row ? showPage(c, row) : c.notFound();
    })
    .get(`/:id${ID}/feed.xml`, async (c) => {
      const row = await readable(c);
      if (!row) return c.notFound();
      const format = c.req.query('format') ?? 'rss';
      if (format !== 'rss' && format !== 'atom') return errorResponse(c, 400, 'The feed format must be rss or atom.');
      const summary = await collections.summarize(db, row);
      const entries = (await collections.collectionPapers(db, row, 1)).entries;
      const base = config.publicBaseUrl;
      const urls = collectionUrls(row.public_id);
      const info = { title: `Paperboy collection: ${summary.name}`, description: summary.description || `Papers collected by ${summary.ownerName}, newest additions first.`, selfUrl: base + urls.feed(format), siteUrl: base + urls.page };
      c.header('Cache-Control', row.visibility === 'private' ? 'private, no-store' : 'public, max-age=600');
      return c.body(renderFeed(format, info, entries.map((e) => paperFeedItem(base, e.paper))), 200, { 'Content-Type': feedContentType(format) });
    })
    .get(`/:id${ID}/collection.bib`, async (c) => {
      const row = await readable(c);
      if (!row) return c.notFound();
      const entries = await collections.allCollectionPapers(db, row);
      c.header('Cache-Control', 'private, no-store');
      c.header('Content-Disposition', `attachment; filename="collection-${row.public_id}.bib"`);
      return c.body(entries.map((e) => bibtex(e.paper)).join('\n\n') + '\n', 200, { 'Content-Type': 'application/x-bibtex; charset=utf-8' });
    })
    .get(`/:id${ID}/import`, async (c) => {
      // Signed out: a collection they cannot read is a 404 like any other page of it (no sign-in detour that
      // would tell it apart from one that does not exist); a readable one sends them to sign in.
      if (!currentUser(c) && !(await readable(c))) return c.notFound();
      const mine = await owned(c);
      return c.html(collectionImportPage({ collection: await collections.summarize(db, mine), csrf: csrfToken(c) }));
    })
    .post(`/:id${ID}/import`, async (c) => {
      const mine = await owned(c);
      const summary = () => collections.summarize(db, mine);
      const upload = await uploadedText(c);
      if ('error' in upload) return c.html(collectionImportPage({ collection: await summary(), csrf: csrfToken(c), error: upload.error }), 400);
      try {
        const result = await importReferences(importDeps(deps), mine, upload.text, upload.name);
        sharedPagesUnchanged(c);
        if (result.added.concat(result.already).some((a) => /\$|\\\(/.test(a.paper.title))) allowMathStyles(c);
        return c.html(collectionImportPage({ collection: await summary(), csrf: csrfToken(c), result }));
      } catch (err) {
        if (!(err instanceof ReferenceFileError)) throw err;
        return c.html(collectionImportPage({ collection: await summary(), csrf: csrfToken(c), error: err.message }), 400);
      }
    })
    .post(`/:id${ID}/settings`, async (c) => {
      const mine = await owned(c);
      const parsed = CollectionForm.safeParse(await formFields(c));
      if (!parsed.success) return showPage(c, mine, fieldErrors(parsed.error), 400);
      await collections.updateCollection(db, mine, { description: '', ...parsed.data });
      sharedPagesUnchanged(c);
      return back(c, mine, 'saved');
    })
    .post(`/:id${ID}/delete`, async (c) => {
      await collections.deleteCollection(db, await owned(c));
      sharedPagesUnchanged(c);
      return c.redirect(COLLECTIONS_PATH, 303);
    })
    .post(`/:id${ID}/papers`, async (c) => {
      const mine = await owned(c);
      const parsed = AddByRefForm.safeParse(await formFields(c));
      if (!parsed.success) return showPage(c, mine, fieldErrors(parsed.error), 400);
      const paperId = await paperIdFromRef(db, parsed.data.paper);
      if (paperId === undefined) return showPage(c, mine, { paper: 'Paperboy has no such paper. Submit it first, or import it from a file.' }, 400);
      if ((await collections.addPaper(db, mine, paperId, parsed.data.note)) === 'full') return showPage(c, mine, { paper: `A collection holds at most ${collections.COLLECTION_LIMITS.papers.toLocaleString('en')} papers.` }, 400);
      sharedPagesUnchanged(c);
      return back(c, mine, 'added');
    })
    .post(`/:id${ID}/papers/remove`, async (c) => {
      const mine = await owned(c);
      const paper = (await formFields(c)).paper ?? '';
      if (!/^\d{1,10}$/.test(paper)) return errorResponse(c, 400, 'That is no paper.');
      await collections.removePaper(db, mine, Number(paper));
      sharedPagesUnchanged(c);
      return back(c, mine, 'removed');
    });
}
