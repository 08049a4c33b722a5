/**
 * What readers send to the comment endpoints, as zod schemas with their limits: the API's JSON bodies and the
 * forms' fields. Messages are sentences, shown to the reader as written.
 */
import { z } from 'zod';
import { COMMENT_LIMITS } from './comments.service.ts';

// Markdown may hold line breaks and tabs, nothing else below U+0020 (nor the bidi overrides that disguise text).
const TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]*$/;

/** A comment's Markdown. */
export const CommentText = z
  .string({ error: 'Write something first.' })
  .trim()
  .min(1, 'Write something first.')
  .max(COMMENT_LIMITS.body, `A comment is at most ${COMMENT_LIMITS.body.toLocaleString('en')} characters.`)
  .regex(TEXT, 'A comment cannot hold control characters.')
  .meta({ description: 'Markdown; math in `$…$`, `$$…$$`, `\\(…\\)` or `\\[…\\]`. Raw HTML is shown as text.', example: 'Why is the bound $O(n \\log n)$ tight?' });

const commentId = z
  .number({ error: 'A reply names the comment it answers by its numeric id.' })
  .int('A reply names the comment it answers by its numeric id.')
  .min(1, 'A reply names the comment it answers by its numeric id.')
  .max(2 ** 31 - 1, 'There is no such comment.');

/** `POST /api/papers/{ref}/comments`. */
export const CommentCreate = z.object({ body: CommentText, parent: commentId.optional().meta({ description: 'The comment this one answers.' }) }).strict();

/** `PATCH /api/comments/{id}`. */
export const CommentChange = z.object({ body: CommentText }).strict();

const digits = z.string().regex(/^\d{1,10}$/, 'That is no comment.');

/** The comment and reply forms of a paper page. */
export const CommentForm = z.object({ paper: z.string().regex(/^\d{1,10}$/, 'That is no paper.'), parent: digits.optional().or(z.literal('').transform(() => undefined)), body: CommentText });

/** The edit form. */
export const CommentEditForm = z.object({ body: CommentText });

/** The reply-mail setting of the account's comments page (a checkbox: absent means off). */
export const ReplyMailForm = z.object({ reply_mails: z.literal('on').optional() });
