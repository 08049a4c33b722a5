/**
 * What readers send to the collection endpoints, as zod schemas with their limits: the JSON bodies of the API
 * (which also describe it in /api/openapi.json) and the fields of the forms that do the same without
 * JavaScript. Messages are sentences, shown to the reader as written.
 */
import { z } from 'zod';
import { COLLECTION_LIMITS } from './collections.service.ts';

/** A collection's address: its random public id. */
export const PUBLIC_ID = /^[A-Za-z0-9_-]{16}$/;
// No control characters in a one-line name; notes and descriptions may hold line breaks and tabs.
const ONE_LINE = /^[^\p{Cc}\u202a-\u202e\u2066-\u2069]*$/u;
const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]*$/;

const name = z
  .string({ error: 'A collection needs a name.' })
  .trim()
  .min(1, 'A collection needs a name.')
  .max(COLLECTION_LIMITS.name, `A name is at most ${COLLECTION_LIMITS.name} characters.`)
  .regex(ONE_LINE, 'A name cannot hold control characters.')
  .meta({ example: 'Reading group, week 12' });
const description = z
  .string()
  .trim()
  .max(COLLECTION_LIMITS.description, `A description is at most ${COLLECTION_LIMITS.description} characters.`)
  .regex(MULTI_LINE, 'A description cannot hold control characters.');
const visibility = z
  .enum(['private', 'unlisted', 'public'], { error: 'Visibility is private, unlisted or public.' })
  .meta({ description: '`private`: only you. `unlisted`: anyone with the link. `public`: anyone, and listed on /collections.' });
const note = z
  .string()
  .trim()
  .max(COLLECTION_LIMITS.note, `A note is at most ${COLLECTION_LIMITS.note} characters.`)
  .regex(MULTI_LINE, 'A note cannot hold control characters.');
const paperRef = z
  .string({ error: 'Say which paper: {"paper": "2401.01234"}.' })
  .trim()
  .min(1, 'Say which paper: {"paper": "2401.01234"}.')
  .max(200, 'A paper reference is at most 200 characters.')
  .meta({ description: 'An arXiv id (`2401.01234`, `2401.01234v2`, `hep-th/9901001`), `id/{numeric id}`, or the URL of the paper’s page here or on arXiv.', example: '2401.01234' });

/** `POST /api/collections`. */
export const CollectionCreate = z.object({ name, description: description.optional(), visibility: visibility.optional() }).strict();

/** `PATCH /api/collections/{id}`: any of the three. */
export const CollectionChange = z
  .object({ name: name.optional(), description: description.optional(), visibility: visibility.optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.description !== undefined || v.visibility !== undefined, 'Change at least one of name, description and visibility.');

/** `POST /api/collections/{id}/papers`: add a paper, or change the note of one already in. */
export const CollectionPaperAdd = z.object({ paper: paperRef, note: note.optional() }).strict();

/** `DELETE /api/collections/{id}/papers`. */
export const CollectionPaperRemove = z.object({ paper: paperRef }).strict();

/** Where a form sends the reader back to (checked again by safeNextPath). */
const back = z.string().max(2000).optional();
const numericId = z.string().regex(/^\d{1,10}$/, 'That is no paper.');

/** The new-collection and settings forms. */
export const CollectionForm = z.object({ name, description: description.optional(), visibility: visibility.optional() });

/** A card's "Save to collection" form: an existing collection, or a new one by name; a note. */
export const SaveForm = z
  .object({
    paper: numericId,
    collection: z.string().regex(PUBLIC_ID, 'Choose a collection.').optional().or(z.literal('').transform(() => undefined)),
    new_name: name.optional().or(z.literal('').transform(() => undefined)),
    note: note.optional(),
    back,
  })
  .refine((v) => v.collection !== undefined || v.new_name !== undefined, 'Choose a collection, or name a new one.');

/** A card's or a collection page's "Remove" button. */
export const RemoveForm = z.object({ paper: numericId, collection: z.string().regex(PUBLIC_ID, 'Choose a collection.'), back });

/** A collection page's "Add a paper" form (a reference), or a note changed on its row. */
export const AddByRefForm = z.object({ paper: paperRef, note: note.optional() });
