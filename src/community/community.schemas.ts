/**
 * What readers send to the community endpoints, as zod schemas with their limits: the JSON bodies of the API
 * (which also describe it in /api/openapi.json) and the fields of the forms that do the same without
 * JavaScript. Messages are sentences, shown to the reader as written.
 */
import { z } from 'zod';
import { CATEGORY_NAME } from './follows.service.ts';
import { MAX_SUBMISSION_LENGTH } from './submissions.service.ts';

/** `POST /api/submissions`: the paper to submit. */
export const SubmissionBody = z
  .object({
    arxiv: z
      .string({ error: 'Say which paper: {"arxiv": "2401.01234"}.' })
      .max(MAX_SUBMISSION_LENGTH, `At most ${MAX_SUBMISSION_LENGTH} characters.`)
      .meta({ description: 'An arXiv id (`2401.01234`, `2401.01234v2`, `arXiv:2401.01234`) or the URL of its abs or pdf page.', example: '2401.01234' }),
  })
  .strict();

const authorId = z
  .number({ error: 'An author is given by their numeric id (as in /authors/{id}).' })
  .int('An author is given by their numeric id (as in /authors/{id}).')
  .min(1, 'An author is given by their numeric id (as in /authors/{id}).')
  .max(2 ** 31 - 1, 'There is no author with that id.');
const organization = z.string().min(1, 'Name an organization.').max(200, 'An organization is at most 200 characters.');
const category = z.string().max(40, 'A category is at most 40 characters.').regex(CATEGORY_NAME, 'That is not a category name (cs.LG, hep-th, or an archive such as cs).');

/** `POST|DELETE /api/follows`: exactly one of an author (id), an organization (slug or name), a category or archive. */
export const FollowBody = z
  .union([z.object({ author: authorId }).strict(), z.object({ organization }).strict(), z.object({ category }).strict()], {
    error: 'Follow exactly one of {"author": id}, {"organization": "slug"} or {"category": "cs.LG"}.',
  })
  .meta({ description: 'Exactly one of `author` (numeric id), `organization` (slug or name) or `category` (a category or a whole archive).', example: { category: 'cs.LG' } });

/** Where a form sends the reader back to: a path on this site (anything else goes to the default). */
const back = z.string().max(2000).optional();

/** The vote form: the state the reader wants (1 voted, 0 not), so a form sent twice does what it says. */
export const VoteForm = z.object({ vote: z.enum(['0', '1'], { error: 'A vote is 1 or 0.' }), back });

/** The reading form: `read`, `dismissed` ("not interested") or `none` to clear. */
export const ReadingForm = z.object({ state: z.enum(['read', 'dismissed', 'none'], { error: 'The state is read, dismissed or none.' }), back });

/** The follow form: what to follow (one of the three, as text), and `follow=1` to follow or `0` to stop. */
export const FollowForm = z.object({
  author: z.string().regex(/^\d{1,10}$/).optional(),
  organization: organization.optional(),
  category: category.optional(),
  follow: z.enum(['0', '1'], { error: 'follow is 1 or 0.' }),
  back,
});

/** The submit form. */
export const SubmitForm = z.object({ arxiv: z.string().max(MAX_SUBMISSION_LENGTH, `At most ${MAX_SUBMISSION_LENGTH} characters.`) });
