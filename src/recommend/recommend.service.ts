/**
 * Recommendations for a signed-in reader: the store's context (vocabulary stored in the database, so
 * every instance trains the same features), the reader's model (stored with the fingerprint of its
 * signals and retrained on the first request after a vote, save, "not interested", follow or mute, so
 * the next page load shows the change), the newest listing days as candidates (through the paper
 * filter), blended scores and reasons.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { filteredPaperIds } from '../filter/paper-filter.repo.ts';
import { addDays } from '../listings/period.ts';
import { getPapers } from '../papers/papers.repo.ts';
import type { Paper } from '../papers/paper.ts';
import { buildContext, vocabularyFromJson, vocabularyIdOf, vocabularyToJson } from './context.ts';
import { poolFeatures } from './features.ts';
import { modelFromJson, modelToJson } from './model-json.ts';
import { trainReaderModel, type ReaderModel, type RecommendContext } from './model.ts';
import { prepareCandidates, type CandidatePool } from './pool.ts';
import { explain, scorePool, topCandidates } from './rank.ts';
import { reasonsText, type Reason } from './reasons.ts';
import * as repo from './recommend.repo.ts';
import type { ReaderSignals, SignalKind, SignalPaper } from './signals.ts';
import { fitVocabulary } from './tfidf.ts';

/** Papers the vocabulary is fitted on and background drawn from (the newest ones). */
const FIT_PAPERS = 20_000;

interface StoreState {
  context: RecommendContext;
  embedder: string | null;
  pools: Map<string, { pool: CandidatePool; ids: number[]; at: number }>;
}
const states = new WeakMap<Db, Promise<StoreState>>();

/** The store's recommendation context, built once per process from the stored vocabulary (fitted and stored if none). */
export function storeContext(db: Db): Promise<StoreState> {
  let state = states.get(db);
  if (!state) {
    state = loadState(db);
    states.set(db, state);
    state.catch(() => states.delete(db));
  }
  return state;
}

async function loadState(db: Db): Promise<StoreState> {
  const embedder = await repo.mainEmbedder(db.kysely);
  let row = await repo.latestVocabulary(db.kysely);
  if (!row) {
    const ids = await repo.newestPaperIds(db.kysely, FIT_PAPERS);
    const texts = await repo.paperTexts(db.kysely, ids, null);
    const vocabulary = fitVocabulary(texts.map((t) => `${t.title} ${t.abstract}`), { maxFeatures: 20_000, minDf: Math.min(5, Math.max(1, Math.floor(texts.length / 50))), maxDf: texts.length < 200 ? 0.5 : 0.1 });
    const id = vocabularyIdOf(vocabulary);
    await repo.insertVocabulary(db.kysely, { id, body: JSON.stringify({ ...vocabularyToJson(vocabulary), background: ids }), papers: ids.length, created_at: new Date().toISOString() });
    row = await repo.latestVocabulary(db.kysely);
  }
  const body = JSON.parse(row!.body) as ReturnType<typeof vocabularyToJson> & { background: number[] };
  const vocabulary = vocabularyFromJson(body);
  // The background is the papers the vocabulary was fitted on, so every instance draws the same sample.
  const texts = await repo.paperTexts(db.kysely, body.background, null);
  const context = buildContext(texts, { embedder, vocabulary });
  return { context: { ...context, vocabularyId: row!.id }, embedder, pools: new Map() };
}

/** Forgets the cached context (after a test changes the store, or a vocabulary is refitted). */
export function forgetStoreContext(db: Db): void {
  states.delete(db);
}

const toSignal = (t: repo.TextRow, kind: SignalKind, at: string): SignalPaper => ({
  id: String(t.id),
  title: t.title,
  abstract: t.abstract,
  categories: t.categories,
  vector: t.vector,
  at,
  kind,
});

/** A reader's signals from the database; `collectionId` makes the stream of one collection. */
export async function readerSignals(db: Db, userId: number, embedder: string | null, collectionId?: number): Promise<ReaderSignals> {
  const settings = await repo.getSettings(db.kysely, userId);
  const rows = await repo.signalRows(db.kysely, userId, settings?.reset_at ?? null);
  const collected = collectionId === undefined ? rows.collected : rows.collected.filter((r) => r.collection_id === collectionId);
  const more = rows.mutes.filter((m) => m.kind === 'more').map((m) => Number(m.value));
  const ids = [...new Set([...rows.votes.map((r) => r.paper_id), ...collected.map((r) => r.paper_id), ...rows.dismissed.map((r) => r.paper_id), ...more])];
  const text = new Map((await repo.paperTexts(db.kysely, ids, embedder)).map((t) => [t.id, t]));
  const positives: SignalPaper[] = [];
  const seen = new Set<number>();
  const add = (id: number, kind: SignalKind, at: string) => {
    const t = text.get(id);
    if (t && !seen.has(id)) seen.add(id), positives.push(toSignal(t, kind, at));
  };
  for (const m of rows.mutes) if (m.kind === 'more') add(Number(m.value), 'more-like-this', new Date().toISOString());
  for (const r of collected) add(r.paper_id, collectionId === undefined ? 'saved' : 'collection', r.at);
  if (collectionId === undefined) for (const r of rows.votes) add(r.paper_id, 'upvoted', r.at);
  const negatives = rows.dismissed.flatMap((r) => (text.has(r.paper_id) ? [toSignal(text.get(r.paper_id)!, 'saved', r.at)] : []));
  const pick = (kind: 'paper' | 'author' | 'term') => rows.mutes.filter((m) => m.kind === kind).map((m) => m.value);
  const categories = settings ? (JSON.parse(settings.categories) as string[]) : [];
  return {
    positives: positives.slice(-5000),
    negatives: negatives.slice(-2000),
    follows: {
      authors: rows.follows.flatMap((f) => f.author ?? []),
      organizations: rows.follows.flatMap((f) => f.organization ?? []),
      categories: [...new Set([...rows.follows.flatMap((f) => f.category ?? []), ...categories])],
    },
    mutes: { papers: pick('paper'), authors: pick('author'), terms: pick('term') },
  };
}

/** The reader's model of a stream, retrained when its signals changed since it was stored. */
export async function readerModel(db: Db, userId: number, collectionId?: number, now = new Date()): Promise<ReaderModel> {
  const state = await storeContext(db);
  const stream = collectionId === undefined ? '' : `collection:${collectionId}`;
  const fingerprint = `${await repo.signalFingerprint(db.kysely, userId)}#${stream}`;
  const row = await repo.getModelRow(db.kysely, userId, stream);
  if (row && row.fingerprint === fingerprint && row.vocabulary_id === state.context.vocabularyId) {
    const model = modelFromJson(row.body);
    if (model) return model;
  }
  const signals = await readerSignals(db, userId, state.embedder, collectionId);
  const model = trainReaderModel(signals, state.context, now);
  await repo.putModelRow(db.kysely, { user_id: userId, stream, vocabulary_id: state.context.vocabularyId, fingerprint, body: modelToJson(model), trained_at: now.toISOString() });
  return model;
}

/** The candidates: papers of the newest `days` listing days (at most 3,000), prepared once a minute per process. */
async function candidatePool(db: Db, state: StoreState, days: number, now: Date, window?: { from: string; day: string }): Promise<{ pool: CandidatePool; ids: number[] }> {
  let since = window?.from;
  if (!since) {
    const newestDay = (await getPapers(db.kysely, await filteredPaperIds(db, {}, 'newest', 1)))[0]?.announcedOn ?? now.toISOString().slice(0, 10);
    since = addDays(newestDay, -(days - 1));
  }
  const key = `${since}..${window?.day ?? ''}`;
  const cached = state.pools.get(key);
  if (cached && now.getTime() - cached.at < 60_000) return cached;
  for (const [k, v] of state.pools) if (now.getTime() - v.at >= 60_000) state.pools.delete(k);
  const ids = await filteredPaperIds(db, { since, until: window?.day }, 'newest', 3000);
  const texts = await repo.paperTexts(db.kysely, ids, state.embedder);
  const authors = new Map((await getPapers(db.kysely, ids)).map((p) => [p.id, p.authors.map((a) => a.name)]));
  const pool = prepareCandidates(
    texts.map((t) => ({ id: String(t.id), title: t.title, abstract: t.abstract, categories: t.categories, authors: authors.get(t.id) ?? [], vector: t.vector, day: t.announced_on ?? '' })),
    state.context.vocabulary,
  );
  const entry = { pool, ids: texts.map((t) => t.id), at: now.getTime() };
  state.pools.set(key, entry);
  return entry;
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
  model: ReaderModel;
}

/** The reader's recommendations of the newest `days` listing days (or of one collection's stream). */
export async function recommendationsFor(db: Db, userId: number, opts: { days: number; limit: number; collectionId?: number; exclude?: ReadonlySet<number>; now?: Date; window?: { from: string; day: string } }): Promise<RecommendationList> {
  const now = opts.now ?? new Date();
  const state = await storeContext(db);
  const model = await readerModel(db, userId, opts.collectionId, now);
  const needsOnboarding = model.counts.positives === 0 && model.follows.categories.length + model.follows.authors.length + model.follows.organizations.length === 0;
  const { pool, ids } = await candidatePool(db, state, opts.days, now, opts.window);
  if (needsOnboarding || ids.length === 0) return { items: [], needsOnboarding, model };
  const features = poolFeatures(model, pool);
  const scores = scorePool(model, pool, undefined, features);
  const seeds = new Set(model.seeds.map((s) => s.id));
  for (let i = 0; i < ids.length; i++) if (seeds.has(String(ids[i])) || opts.exclude?.has(ids[i])) scores[i] = -Infinity;
  const top = topCandidates(scores, opts.limit);
  const papers = new Map((await getPapers(db.kysely, top.map((t) => ids[t.index]))).map((p) => [p.id, p]));
  const items = top.flatMap((t) => {
    const paper = papers.get(ids[t.index]);
    if (!paper) return [];
    const reasons = explain(model, pool, features, t.index, state.context.vocabulary.terms);
    return [{ paper, score: t.score, reasons, why: reasonsText(reasons) }];
  });
  return { items, needsOnboarding, model };
}

/** What the learned-model page lists: strongest terms either way, seeds, steering. */
export function modelSummary(model: ReaderModel, vocabularyTerms: readonly string[], n = 15) {
  const order = Array.from(model.terms.indices.keys());
  const byWeight = order.sort((a, b) => model.terms.weights[b] - model.terms.weights[a]);
  const term = (k: number) => ({ term: vocabularyTerms[model.terms.indices[k]] ?? '?', weight: model.terms.weights[k] });
  return {
    positive: byWeight.slice(0, n).filter((k) => model.terms.weights[k] > 0).map(term),
    negative: byWeight.slice(-n).reverse().filter((k) => model.terms.weights[k] < 0).map(term),
    seeds: model.seeds.map((s) => ({ id: s.id, title: s.title, kind: s.kind })),
    avoided: model.antiSeeds.map((s) => ({ id: s.id, title: s.title })),
    categories: [...model.categories].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([category, lift]) => ({ category, lift })),
    follows: model.follows,
    mutes: model.mutes,
    counts: model.counts,
  };
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
