/**
 * Collections as JSON (mounted at /api): GET|POST /collections, GET|PATCH|DELETE /collections/{id},
 * POST|DELETE /collections/{id}/papers {"paper": "{ref}", "note"}, POST /collections/{id}/import (a file).
 * `{id}` is the collection's random public id. Another account's private collection answers 404, exactly as
 * one that does not exist; unlisted and public ones are readable by anyone with the id.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Owned } from '../../accounts/user.ts';
import { CollectionChange, CollectionCreate, CollectionPaperAdd, CollectionPaperRemove, PUBLIC_ID } from '../../collections/collections.schemas.ts';
import * as collections from '../../collections/collections.service.ts';
import { importReferences, ReferenceFileError, type ImportResult } from '../../collections/import.service.ts';
import { UNMATCHED_WORDS } from '../../collections/import-words.ts';
import { apiError, apiRouter, errors, json, SIGNED_IN } from '../api/openapi.ts';
import { PageFields, PaperJson } from '../api/schemas.ts';
import type { AppDeps } from '../app.ts';
import { ownedOr404, requireUser, currentUser } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { collectionUrls } from '../content-urls.ts';
import { absoluteUrl, pageJson, paperJson } from '../json.ts';
import { PageQuery } from '../params.ts';
import { paperUrl } from '../urls.ts';
import { importDeps, paperIdFromRef, uploadedText } from './collections-shared.ts';

/** A collection as the API shows it. */
export const CollectionJson = z
  .object({
    id: z.string().meta({ description: 'The random public id: what every address of the collection carries.', example: 'k3J9xQ2mP0aZ7bW1' }),
    name: z.string(),
    description: z.string(),
    visibility: z.enum(['private', 'unlisted', 'public']),
    owner: z.string().meta({ description: 'The owner’s display name.' }),
    paperCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    url: z.string().meta({ description: 'Its page (share it: unlisted and public collections open for anyone).' }),
    feeds: z.object({ rss: z.string(), atom: z.string() }),
    bibtex: z.string().meta({ description: 'Every paper as a BibTeX file.' }),
  })
  .openapi('Collection');

const EntryJson = z.object({ paper: PaperJson, note: z.string(), addedAt: z.string() }).openapi('CollectionEntry');
const DetailJson = z.object({ collection: CollectionJson, ...PageFields, papers: z.array(EntryJson) }).openapi('CollectionWithPapers');
const PaperResult = z
  .object({ status: z.enum(['added', 'updated']).meta({ description: '`updated`: it was in already; the note (when given) replaced.' }), paper: z.object({ id: z.number().int(), arxivId: z.string().nullable(), url: z.string() }), note: z.string() })
  .openapi('CollectionPaper');
const Imported = z.object({ n: z.number().int(), label: z.string(), matchedBy: z.enum(['arxiv', 'doi', 'title', 'fetched']), paper: z.object({ id: z.number().int(), arxivId: z.string().nullable(), title: z.string(), url: z.string() }) });
const ImportJson = z
  .object({
    format: z.enum(['bibtex', 'ris', 'csl-json']),
    added: z.array(Imported),
    already: z.array(Imported),
    overLimit: z.array(Imported).meta({ description: 'Matched, but the collection holds its limit.' }),
    unmatched: z.array(z.object({ n: z.number().int(), label: z.string(), reason: z.enum(['no-keys', 'not-found', 'not-on-arxiv', 'arxiv-unavailable', 'fetch-limit']), message: z.string() })),
    problems: z.array(z.string()).meta({ description: 'Parts of the file that could not be read, each with its line.' }),
    fetched: z.number().int().meta({ description: 'Papers fetched from arXiv into the store.' }),
  })
  .openapi('CollectionImport');

const IdParams = z.object({ id: z.string().regex(PUBLIC_ID).meta({ description: 'The collection’s public id.', example: 'k3J9xQ2mP0aZ7bW1' }) });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags: ['collections'], ...r });

const list = route({ method: 'get', path: '/collections', summary: 'Your collections', security: SIGNED_IN, responses: { 200: json(z.object({ collections: z.array(CollectionJson) }), 'Most recently changed first.'), ...errors(401) } });
const create = route({ method: 'post', path: '/collections', summary: 'Make a collection (private unless you say otherwise)', security: SIGNED_IN, request: body(CollectionCreate), responses: { 201: json(CollectionJson, 'The new collection.'), ...errors(400, 401) } });
const read = route({ method: 'get', path: '/collections/{id}', summary: 'A collection and one page of its papers with their notes', request: { params: IdParams, query: PageQuery }, responses: { 200: json(DetailJson, 'Newest additions first.'), ...errors(400, 404) } });
const change = route({ method: 'patch', path: '/collections/{id}', summary: 'Rename a collection, change its description or who may see it', security: SIGNED_IN, request: { params: IdParams, ...body(CollectionChange) }, responses: { 200: json(CollectionJson, 'The collection as changed.'), ...errors(400, 401, 404) } });
const remove = route({ method: 'delete', path: '/collections/{id}', summary: 'Delete a collection and its notes', security: SIGNED_IN, request: { params: IdParams }, responses: { 204: { description: 'Deleted.' }, ...errors(401, 404) } });
const addPaper = route({ method: 'post', path: '/collections/{id}/papers', summary: 'Add a paper to a collection, or change its note', security: SIGNED_IN, request: { params: IdParams, ...body(CollectionPaperAdd) }, responses: { 200: json(PaperResult, 'The paper is in the collection.'), ...errors(400, 401, 404) } });
const removePaper = route({ method: 'delete', path: '/collections/{id}/papers', summary: 'Take a paper out of a collection', security: SIGNED_IN, request: { params: IdParams, ...body(CollectionPaperRemove) }, responses: { 204: { description: 'The paper is not in the collection (any more).' }, ...errors(400, 401, 404) } });
const importFile = route({
  method: 'post',
  path: '/collections/{id}/import',
  summary: 'Import a BibTeX, RIS or CSL-JSON file (at most 1 MB, 500 entries) into a collection',
  description: 'Each reference is matched by arXiv id, then DOI, then title; unknown arXiv ids are fetched from arXiv. What matches nothing is listed with the reason.',
  security: SIGNED_IN,
  request: { params: IdParams },
  responses: { 200: json(ImportJson, 'What became of each reference.'), ...errors(400, 401, 404) },
});

/** Routes mounted at /api. */
export function collectionsApiRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const toJson = (s: collections.CollectionSummary) => {
    const urls = collectionUrls(s.publicId);
    return {
      id: s.publicId,
      name: s.name,
      description: s.description,
      visibility: s.visibility,
      owner: s.ownerName,
      paperCount: s.paperCount,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      url: absoluteUrl(config, urls.page),
      feeds: { rss: absoluteUrl(config, urls.feed('rss')), atom: absoluteUrl(config, urls.feed('atom')) },
      bibtex: absoluteUrl(config, urls.bibtex),
    };
  };
  const owned = async (c: Context): Promise<Owned<collections.CollectionRow>> => {
    requireUser(c);
    return ownedOr404(c, await collections.findCollection(db, c.req.param('id') ?? ''));
  };
  const importedJson = (i: ImportResult['added'][number]) => ({ n: i.entry.n, label: i.entry.label, matchedBy: i.matchedBy, paper: { ...i.paper, url: absoluteUrl(config, paperUrl(i.paper)) } });

  // (An upload larger than an import may be is refused before it is read: app.ts installs uploadLimit.)
  return apiRouter()
    .openapi(list, async (c) => c.json({ collections: (await collections.myCollections(db, requireUser(c))).map(toJson) }, 200))
    .openapi(create, async (c) => {
      const made = await collections.createCollection(db, requireUser(c), c.req.valid('json'));
      if (made === 'too-many') return apiError(c, 400, `An account holds at most ${collections.COLLECTION_LIMITS.perUser} collections.`);
      sharedPagesUnchanged(c);
      return c.json(toJson(await collections.summarize(db, made)), 201);
    })
    .openapi(read, async (c) => {
      const row = await collections.findCollection(db, c.req.valid('param').id);
      if (!collections.readableBy(currentUser(c), row)) return apiError(c, 404);
      const { page } = c.req.valid('query');
      const list = await collections.collectionPapers(db, row, page);
      if (page > list.pageCount) return apiError(c, 404);
      const href = (p: number) => `${collectionUrls(row.public_id).api}?page=${p}`;
      return c.json(
        {
          collection: toJson(await collections.summarize(db, row)),
          ...pageJson(config, { page, pageCount: list.pageCount, total: list.total }, collections.COLLECTION_PAGE, href),
          papers: list.entries.map((e) => ({ paper: paperJson(config, e.paper), note: e.note, addedAt: e.addedAt })),
        },
        200,
      );
    })
    .openapi(change, async (c) => {
      const mine = await owned(c);
      await collections.updateCollection(db, mine, c.req.valid('json'));
      sharedPagesUnchanged(c);
      return c.json(toJson(await collections.summarize(db, mine)), 200);
    })
    .openapi(remove, async (c) => {
      await collections.deleteCollection(db, await owned(c));
      sharedPagesUnchanged(c);
      return c.body(null, 204);
    })
    .openapi(addPaper, async (c) => {
      const mine = await owned(c);
      const { paper, note } = c.req.valid('json');
      const paperId = await paperIdFromRef(db, paper);
      if (paperId === undefined) return apiError(c, 404, 'There is no such paper here. Submit it first, or import it from a file.');
      const status = await collections.addPaper(db, mine, paperId, note);
      if (status === 'full') return apiError(c, 400, `A collection holds at most ${collections.COLLECTION_LIMITS.papers.toLocaleString('en')} papers.`);
      sharedPagesUnchanged(c);
      const entry = (await collections.collectionPapers(db, mine, 1, collections.COLLECTION_LIMITS.papers)).entries.find((e) => e.paper.id === paperId);
      return c.json({ status, paper: { id: paperId, arxivId: entry?.paper.arxivId ?? null, url: absoluteUrl(config, paperUrl({ id: paperId, arxivId: entry?.paper.arxivId ?? null })) }, note: entry?.note ?? '' }, 200);
    })
    .openapi(removePaper, async (c) => {
      const mine = await owned(c);
      const paperId = await paperIdFromRef(db, c.req.valid('json').paper);
      if (paperId === undefined) return apiError(c, 404, 'There is no such paper here.');
      await collections.removePaper(db, mine, paperId);
      sharedPagesUnchanged(c);
      return c.body(null, 204);
    })
    .openapi(importFile, async (c) => {
      const mine = await owned(c);
      const upload = await uploadedText(c);
      if ('error' in upload) return apiError(c, 400, upload.error);
      let result: ImportResult;
      try {
        result = await importReferences(importDeps(deps), mine, upload.text, upload.name);
      } catch (err) {
        if (err instanceof ReferenceFileError) return apiError(c, 400, err.message);
        throw err;
      }
      sharedPagesUnchanged(c);
      return c.json(
        {
          format: result.format,
          added: result.added.map(importedJson),
          already: result.already.map(importedJson),
          overLimit: result.overLimit.map(importedJson),
          unmatched: result.unmatched.map((u) => ({ n: u.entry.n, label: u.entry.label, reason: u.reason, message: UNMATCHED_WORDS[u.reason] })),
          problems: result.problems,
          fetched: result.fetched,
        },
        200,
      );
    });
}
