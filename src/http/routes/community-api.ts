/**
 * The signed-in reader's actions on one paper, as JSON (mounted at /api): POST|DELETE /papers/{ref}/vote,
 * POST|DELETE /papers/{ref}/read and /papers/{ref}/not-interested. `{ref}` is an arXiv id (any version or
 * spelling) or `id/123`. An API token or a signed-in browser (with X-CSRF-Token) may call them.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { findPaperKey, type PaperKey } from '../../community/paper-key.repo.ts';
import { setReadingState, takeBackReadingState } from '../../community/reading.service.ts';
import { setVote } from '../../community/votes.service.ts';
import { apiError, apiRouter, errors, json, PaperRefParams, REF, SIGNED_IN } from '../api/openapi.ts';
import type { AppDeps } from '../app.ts';
import { requireUser } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { absoluteUrl } from '../json.ts';
import { paperUrl, parsePaperRef } from '../urls.ts';

/** The paper an action was on. */
const PaperRefJson = z.object({ id: z.number().int(), arxivId: z.string().nullable(), url: z.string() }).openapi('PaperRef');

/** A paper's votes: imported (Hugging Face), local (readers here) and their sum, which ranks. */
export const VoteCountsJson = z
  .object({
    imported: z.number().int().meta({ description: 'Upvotes imported from Hugging Face.' }),
    local: z.number().int().meta({ description: 'Upvotes of this instance’s readers.' }),
    total: z.number().int().meta({ description: 'Both together: what the ▲ shows and trending ranks by.' }),
  })
  .openapi('VoteCounts');

const VoteJson = z.object({ paper: PaperRefJson, voted: z.boolean().meta({ description: 'Whether the reader’s vote is now cast.' }), votes: VoteCountsJson }).openapi('Vote');

const ReadingJson = z
  .object({ paper: PaperRefJson, state: z.enum(['read', 'dismissed']).nullable().meta({ description: '`read`, `dismissed` (not interested), or null.' }) })
  .openapi('ReadingState');

const action = (method: 'post' | 'delete', suffix: string, summary: string, schema: z.ZodType, extra: number[] = []) =>
  createRoute({
    method,
    path: `/papers/${REF}/${suffix}`,
    tags: ['community'],
    summary,
    security: SIGNED_IN,
    request: { params: PaperRefParams },
    responses: { 200: json(schema, 'The paper’s state for the reader afterwards.'), ...errors(401, 404, ...(extra as 429[])) },
  });

const castVote = action('post', 'vote', 'Upvote a paper (once per account; again changes nothing)', VoteJson, [429]);
const removeVote = action('delete', 'vote', 'Take back an upvote', VoteJson, [429]);
const markRead = action('post', 'read', 'Mark a paper read (hidden from lists with ?hide=read)', ReadingJson);
const markUnread = action('delete', 'read', 'Unmark a paper read', ReadingJson);
const dismiss = action('post', 'not-interested', 'Mark a paper “not interested” (hidden from lists with ?hide=read)', ReadingJson);
const undismiss = action('delete', 'not-interested', 'Take back “not interested”', ReadingJson);

/** Routes of the paper actions, mounted at /api. */
export function communityApiRoutes({ db, config }: AppDeps) {
  const paperOf = async (c: Context, raw: string): Promise<PaperKey | undefined> => {
    const ref = parsePaperRef(raw);
    return ref && findPaperKey(db.kysely, 'id' in ref ? { id: ref.id } : { arxivId: ref.arxivId });
  };
  const refJson = (p: PaperKey) => ({ id: p.id, arxivId: p.arxivId, url: absoluteUrl(config, paperUrl(p)) });

  const vote = (voted: boolean) => async (c: Context) => {
    const user = requireUser(c);
    const paper = await paperOf(c, c.req.param('ref') ?? '');
    if (!paper) return apiError(c, 404);
    const outcome = await setVote(db, user, paper.id, voted);
    if (outcome.status === 'rate-limited') {
      c.header('Retry-After', String(outcome.retryAfterSeconds));
      return apiError(c, 429, 'Too many votes in a minute. Wait a moment and try again.');
    }
    if (outcome.status === 'not-found') return apiError(c, 404);
    return c.json({ paper: refJson(paper), voted: outcome.voted, votes: outcome.votes }, 200);
  };

  const reading = (state: 'read' | 'dismissed', set: boolean) => async (c: Context) => {
    const user = requireUser(c);
    const paper = await paperOf(c, c.req.param('ref') ?? '');
    if (!paper) return apiError(c, 404);
    const outcome = set ? await setReadingState(db, user, paper.id, state) : await takeBackReadingState(db, user, paper.id, state);
    if (outcome.status === 'not-found') return apiError(c, 404);
    // Private to the reader: no shared page changes.
    sharedPagesUnchanged(c);
    return c.json({ paper: refJson(paper), state: outcome.state }, 200);
  };

  return apiRouter()
    .openapi(castVote, vote(true))
    .openapi(removeVote, vote(false))
    .openapi(markRead, reading('read', true))
    .openapi(markUnread, reading('read', false))
    .openapi(dismiss, reading('dismissed', true))
    .openapi(undismiss, reading('dismissed', false));
}
