/**
 * Recommendations for a signed-in reader: the reader's model and the newest listing days' candidates
 * as serving.ts keeps them (trained and prepared in a worker thread, off the request path), blended
 * scores and reasons; steering, settings, reset and the private feeds' tokens.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { referenceTitles } from '../collections/references.repo.ts';
import type { Db } from '../db/database.ts';
import { getPapers } from '../papers/papers.repo.ts';
import type { Paper } from '../papers/paper.ts';
import { poolFeatures } from './features.ts';
import type { ReaderModel } from './model.ts';
import { explain, scorePool, topCandidates } from './rank.ts';
import { reasonsText, termWords, type Reason } from './reasons.ts';
import * as repo from './recommend.repo.ts';
import { REFERENCE_PREFIX } from './signals.ts';
import { candidatePool, LATE, requestDeadline, servedModel, storeContext, within } from './serving.ts';

export { forgetStoreContext, prepareRecommendations, readerSignals, setRecommendWait, storeContext, trainingSettled } from './serving.ts';

/** The reader's model of a stream, retrained (in the worker, waited for) when its signals changed since it was stored. */
export async function readerModel(db: Db, userId: number, collectionId?: number, now = new Date()): Promise<ReaderModel> {
  const model = await servedModel(db, await storeContext(db), userId, collectionId, now, Infinity);
  if (!model) throw new Error('recommendations: no model after training');
  return model;
}

/**
 * The store's state and the reader's model as a request gets them (recommendationsFor's waits), or
 * undefined while either is being prepared. `atOnce` is the deadline of what is not waited for.
 */
async function servedNow(db: Db, userId: number, collectionId: number | undefined, now: Date, waitMs?: number) {
  const deadline = requestDeadline(db, waitMs);
  // A past deadline still takes what has settled already (serving.ts#within).
  const atOnce = deadline === Infinity ? Infinity : 0;
  const state = await within(storeContext(db), atOnce);
  if (state === LATE) {
    // Start this reader's model as soon as the context is there, so the page's reload finds it.
    void storeContext(db)
      .then((ready) => servedModel(db, ready, userId, collectionId, now, 0))
      .catch(() => undefined);
    return undefined;
  }
  const model = await servedModel(db, state, userId, collectionId, now, deadline);
  return model && { state, model, atOnce };
}

/** What the learned-model page shows (modelSummary), or undefined while the model is being prepared. */
export async function learnedSummary(db: Db, userId: number, now = new Date()) {
  const served = await servedNow(db, userId, undefined, now);
  if (!served) return undefined;
  const summary = modelSummary(served.model, served.state.terms);
  // The papers left out by title, as the reader chose them (a muted id of a deleted paper is dropped).
  const ids = summary.mutes.papers.slice(0, 200);
  const refIds = ids.filter((id) => id.startsWith(REFERENCE_PREFIX)).map((id) => Number(id.slice(REFERENCE_PREFIX.length)));
  const [papers, refs] = await Promise.all([getPapers(db.kysely, ids.map(Number).filter(Number.isSafeInteger)), referenceTitles(db.kysely, userId, refIds.filter(Number.isSafeInteger))]);
  const mutedPapers = [...papers.map((p) => ({ id: String(p.id), title: p.title })), ...refs.map((r) => ({ id: `${REFERENCE_PREFIX}${r.id}`, title: r.title }))];
  return { ...summary, mutedPapers };
}

/** One recommended paper. */
export interface Recommendation {
  paper: Paper;
  score: number;
  reasons: Reason[];
  /** The reasons in words. */
  why: string;
}

/** What the For-you page and the API show. */
export interface RecommendationList {
  items: Recommendation[];
  /** The reader has given no signal yet: show onboarding. */
  needsOnboarding: boolean;
  /** The model ranked with (undefined while preparing). */
  model?: ReaderModel;
  /**
   * The store's context, the reader's first model or the listing's pool is not ready: nothing to show
   * yet, the page says so (and reloads itself) while the work goes on in the worker.
   */
  preparing: boolean;
}

/**
 * The reader's recommendations of the newest `days` listing days (or of one collection's stream).
 * Nothing is waited for that would only delay the "being prepared" notice: the store's context and a
 * listing's first pool are built in the background (`prepareRecommendations` at start-up), and a
 * reader's model is waited for at most `waitMs` (RETRAIN_WAIT_MS by default) when a retrain after
 * their own new signal is under way (serving.ts#servedModel). `waitMs: Infinity` (the digest) waits
 * for everything.
 */
export async function recommendationsFor(db: Db, userId: number, opts: { days: number; limit: number; collectionId?: number; exclude?: ReadonlySet<number>; now?: Date; window?: { from: string; day: string }; waitMs?: number }): Promise<RecommendationList> {
  const now = opts.now ?? new Date();
  const preparing: RecommendationList = { items: [], needsOnboarding: false, preparing: true };
  const served = await servedNow(db, userId, opts.collectionId, now, opts.waitMs);
  if (!served) return preparing;
  const { state, model, atOnce } = served;
  const needsOnboarding = model.counts.positives === 0 && model.follows.categories.length + model.follows.authors.length + model.follows.organizations.length === 0;
  if (needsOnboarding) return { items: [], needsOnboarding, model, preparing: false };
  const candidates = await candidatePool(db, state, opts.days, now, atOnce, opts.window);
  if (!candidates) return { ...preparing, model };
  const { pool, ids } = candidates;
  if (ids.length === 0) return { items: [], needsOnboarding, model, preparing: false };
  const features = poolFeatures(model, pool);
  const scores = scorePool(model, pool, undefined, features);
  const seeds = new Set(model.seeds.map((s) => s.id));
  for (let i = 0; i < ids.length; i++) if (seeds.has(String(ids[i])) || opts.exclude?.has(ids[i])) scores[i] = -Infinity;
  const top = topCandidates(scores, opts.limit);
  const papers = new Map((await getPapers(db.kysely, top.map((t) => ids[t.index]))).map((p) => [p.id, p]));
  const items = top.flatMap((t) => {
    const paper = papers.get(ids[t.index]);
    if (!paper) return [];
    const reasons = explain(model, pool, features, t.index, state.terms);
    return [{ paper, score: t.score, reasons, why: reasonsText(reasons) }];
  });
  return { items, needsOnboarding, model, preparing: false };
}

/** What the learned-model page lists: strongest terms either way, seeds, steering. */
export function modelSummary(model: ReaderModel, vocabularyTerms: readonly string[], n = 15) {
  const byWeight = termsInWords(model, vocabularyTerms).sort((a, b) => b.weight - a.weight);
  return {
    positive: byWeight.slice(0, n).filter((t) => t.weight > 0),
    negative: byWeight.slice(-n).reverse().filter((t) => t.weight < 0),
    seeds: model.seeds.map((s) => ({ id: s.id, title: s.title, kind: s.kind })),
    avoided: model.antiSeeds.map((s) => ({ id: s.id, title: s.title })),
    categories: [...model.categories].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([category, lift]) => ({ category, lift })),
    follows: model.follows,
    mutes: model.mutes,
    counts: model.counts,
  };
}

/**
 * The model's term weights as a reader reads them: the forms of one term ("diffusion model", "diffusion
 * models") summed under the strongest one's spelling, so a term never shows both for and against.
 */
function termsInWords(model: ReaderModel, vocabularyTerms: readonly string[]): { term: string; weight: number }[] {
  const groups = new Map<string, { term: string; weight: number; top: number }>();
  model.terms.indices.forEach((index, k) => {
    const term = vocabularyTerms[index] ?? '?';
    const weight = model.terms.weights[k];
    const key = termWords(term).join(' ');
    const group = groups.get(key);
    if (!group) groups.set(key, { term, weight, top: Math.abs(weight) });
    else {
      group.weight += weight;
      if (Math.abs(weight) > group.top) Object.assign(group, { term, top: Math.abs(weight) });
    }
  });
  return [...groups.values()].map(({ term, weight }) => ({ term, weight }));
}

/** Steering: "more like this", or never use this paper / author / term. */
export async function steer(db: Db, userId: number, kind: 'more' | 'paper' | 'author' | 'term', value: string, now = new Date()): Promise<void> {
  await repo.insertMute(db.kysely, userId, kind, value.slice(0, 200), now.toISOString());
}

/** Takes a steering choice back. */
export async function unsteer(db: Db, userId: number, kind: 'more' | 'paper' | 'author' | 'term', value: string): Promise<void> {
  await repo.deleteMute(db.kysely, userId, kind, value);
}

/** The reader's settings, created with a fresh feed secret the first time. */
export async function settingsOf(db: Db, userId: number, now = new Date()) {
  const row = await repo.getSettings(db.kysely, userId);
  if (row) return row;
  const fresh = { user_id: userId, categories: '[]', feed_nonce: randomBytes(16).toString('hex'), reset_at: null, updated_at: now.toISOString() };
  await repo.putSettings(db.kysely, fresh);
  return fresh;
}

/** Onboarding: the categories a new reader picked. */
export async function chooseCategories(db: Db, userId: number, categories: readonly string[], now = new Date()): Promise<void> {
  const s = await settingsOf(db, userId, now);
  await repo.putSettings(db.kysely, { ...s, categories: JSON.stringify([...new Set(categories)].slice(0, 50)), updated_at: now.toISOString() });
}

/** Reset: forget steering and models, and use only signals given from now on. */
export async function resetModel(db: Db, userId: number, now = new Date()): Promise<void> {
  const s = await settingsOf(db, userId, now);
  await repo.clearLearned(db.kysely, userId);
  await repo.putSettings(db.kysely, { ...s, categories: '[]', reset_at: now.toISOString(), updated_at: now.toISOString() });
}

/** The private feeds' token of a reader: a hash of their feed secret (reset by changing the secret). */
export function feedToken(settings: { user_id: number; feed_nonce: string }): string {
  return createHash('sha256').update(`paperboy-recommend-feed:${settings.user_id}:${settings.feed_nonce}`).digest('base64url').slice(0, 32);
}

/** The reader a feed address belongs to, when its token is right (else undefined: answer 404). */
export async function feedOwner(db: Db, userId: number, token: string): Promise<number | undefined> {
  const s = await repo.getSettings(db.kysely, userId);
  if (!s) return undefined;
  const expected = Buffer.from(feedToken(s));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? userId : undefined;
}
