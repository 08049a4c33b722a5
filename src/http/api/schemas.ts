/**
 * Response shapes the JSON API shares, as zod schemas: what /api/openapi.json says a client gets. Handlers
 * are typed against them (`app.openapi` checks that `c.json(...)` returns at least what a schema promises),
 * so a renamed or dropped field fails the type check rather than surprising a client.
 */
import { z } from '@hono/zod-openapi';

/** Every API error: the same words the HTML error page shows (errors.ts#errorJson builds it). */
export const ErrorBody = z
  .object({
    error: z.object({
      status: z.number().int().meta({ example: 400 }),
      title: z.string().meta({ example: 'Bad request' }),
      message: z.string().meta({ example: 'The page number must be a whole number from 1.' }),
      link: z.string().optional().meta({ description: 'Where to go instead (the last page of a list).' }),
    }),
  })
  .openapi('Error');

/** A paper as the list and paper endpoints return it: every stored field plus the absolute URL of its page. */
export const PaperJson = z
  .object({
    id: z.number().int().meta({ description: 'Paperboy’s numeric id (`/papers/id/{id}` when there is no arXiv id).' }),
    arxivId: z.string().nullable().meta({ example: '2401.01234' }),
    version: z.number().int().nullable(),
    doi: z.string().nullable(),
    title: z.string().meta({ description: 'As written, TeX included.' }),
    abstract: z.string(),
    authors: z.array(z.object({ id: z.number().int(), name: z.string() })),
    authorCount: z.number().int().nullable().meta({ description: 'When only a count of authors is known.' }),
    categories: z.array(z.string()),
    primaryCategory: z.string().nullable(),
    publishedAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    announcedOn: z.string().nullable().meta({ description: 'The listing day, YYYY-MM-DD.' }),
    comment: z.string().nullable(),
    journalRef: z.string().nullable(),
    organization: z.object({ id: z.number().int(), slug: z.string(), name: z.string() }).nullable(),
    upvotes: z.number().int().meta({ description: 'Upvotes imported from Hugging Face.' }),
    localVotes: z.number().int().optional().meta({ description: 'Upvotes of this instance’s readers (both count: their sum ranks).' }),
    submission: z
      .object({ by: z.string(), on: z.string().meta({ description: 'YYYY-MM-DD (UTC).' }) })
      .nullable()
      .optional()
      .meta({ description: 'Who submitted the paper here, and when; null when nobody did.' }),
    hotness: z.number(),
    links: z.object({ abs: z.string().nullable(), pdf: z.string().nullable(), code: z.string().nullable(), project: z.string().nullable() }),
    provenance: z.record(z.string(), z.object({ source: z.string(), asOf: z.string() })).meta({ description: 'Which source each field came from, and as of when.' }),
    withdrawn: z.boolean().optional(),
    url: z.string().meta({ description: 'The absolute URL of the paper’s page.' }),
    isNew: z.boolean().optional().meta({ description: 'Listed in the last few days (lists only).' }),
  })
  .openapi('Paper');

/** Where a page of a list is, with the absolute URLs of its neighbours. */
export const PageFields = {
  page: z.number().int(),
  pageCount: z.number().int(),
  perPage: z.number().int(),
  total: z.number().int().nullable().meta({ description: 'null when the list did not count itself.' }),
  prev: z.string().nullable(),
  next: z.string().nullable(),
};

/** A value to filter by and how many papers of the list have it. */
export const Facet = z.object({ value: z.string(), label: z.string(), count: z.number().int() }).openapi('Facet');

/** The categories and organizations of a list, for its filter controls. */
export const Facets = z.object({ categories: z.array(Facet), organizations: z.array(Facet) });
