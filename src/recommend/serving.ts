/**
 * What a For-you request reads, kept off its path: the store's context (vocabulary stored in the
 * database, so every instance trains the same features) lives in a worker thread, built at start-up;
 * reader models are trained there and stored with the fingerprint of the signals they came from; the
 * candidate pool is prepared there and refreshed in the background. A request waits for fresh work at
 * most until its deadline: after a vote, save, "not interested", follow or mute the next page load waits
 * for the retrain up to RETRAIN_WAIT_MS (usually enough: the change shows) and otherwise ranks with the
 * previous model while the retrain finishes for the load after.
 */
import { readerReferences } from '../collections/references.repo.ts';
import type { Db } from '../db/database.ts';
import { filteredPaperIds } from '../filter/paper-filter.repo.ts';
import { addDays } from '../listings/period.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { vocabularyTerms, type StoredVocabulary } from './context.ts';
import { modelFromJson } from './model-json.ts';
import type { ReaderModel } from './model.ts';
import type { CandidatePool } from './pool.ts';
import * as repo from './recommend.repo.ts';
import { DEFAULT_DAYS } from './recommend.schemas.ts';
import { REFERENCE_PREFIX, type ReaderSignals, type SignalKind, type SignalPaper } from './signals.ts';
import { RecommendWorker } from './trainer.ts';
import { vocabularyOptions, type TfidfOptions } from './tfidf.ts';

/** Papers the vocabulary is fitted on and background drawn from (the newest ones). */
const FIT_PAPERS = 20_000;
/** How long a page load waits for work in the worker (a retrain after a signal) before it uses what it has. */
export const RETRAIN_WAIT_MS = 2000;
/** A signal this recent is the reader's own new one: the next page load waits for the retrain it causes. */
export const RECENT_SIGNAL_MS = 10 * 60_000;
/** Pools older than this are refreshed in the background (the request uses the older one meanwhile). */
const POOL_FRESH_MS = 60_000;
/** Parsed models kept per process (a stored model's JSON is parsed once, not on every page load). */
const MODEL_CACHE = 5000;

type Pool = { pool: CandidatePool; ids: number[]; at: number };
type Cached = { fingerprint: string; trainedAt: string; vocabularyId: string; model: ReaderModel };

/** A store's recommendation state in this process. */
export interface StoreState {
  vocabularyId: string;
  /** The vocabulary's terms (what reasons and the learned-model page quote). */
  terms: string[];
  embedder: string | null;
  /** Trains models (it holds the context); `preparer` prepares pools, so a page never queues behind a training. */
  trainer: RecommendWorker;
  preparer: RecommendWorker;
  pools: Map<string, Pool>;
  building: Map<string, Promise<Pool>>;
  models: Map<string, Cached>;
  training: Map<string, { fingerprint: string; promise: Promise<ReaderModel> }>;
}
const states = new WeakMap<Db, Promise<StoreState>>();
const waits = new WeakMap<Db, number>();

/** How long page loads on `db` wait for the worker (RETRAIN_WAIT_MS unless set; 0: never wait for a retrain). */
export function setRecommendWait(db: Db, ms: number): void {
  waits.set(db, ms);
}

/** The deadline of a request that starts now. */
export function requestDeadline(db: Db, waitMs?: number): number {
  return Date.now() + (waitMs ?? waits.get(db) ?? RETRAIN_WAIT_MS);
}

/** Returned by `within` when the deadline came first. */
export const LATE = Symbol('late');

/** `p`, or LATE if it has not settled by `deadline` (p goes on; its failure is the caller's to see). */
export function within<T>(p: Promise<T>, deadline: number): Promise<T | typeof LATE> {
  if (deadline === Infinity) return p;
  return new Promise((resolve, reject) => {
    const left = deadline - Date.now();
    // Past the deadline, p still wins if it has settled already (its callbacks run before the check phase).
    const timer = left > 0 ? setTimeout(() => resolve(LATE), left) : setImmediate(() => resolve(LATE));
    timer.unref();
    const stop = () => (left > 0 ? clearTimeout(timer as NodeJS.Timeout) : clearImmediate(timer as NodeJS.Immediate));
    p.then((v) => (stop(), resolve(v)), (e) => (stop(), reject(e)));
  });
}

/** The store's recommendation state, built once per process in the worker (call at start-up to have it ready). */
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
  const forget = () => forgetStoreContext(db);
  const trainer = new RecommendWorker(forget);
  const preparer = new RecommendWorker(forget);
  try {
    const embedder = await repo.mainEmbedder(db.kysely);
    const row = await repo.latestVocabulary(db.kysely);
    const parsed = row ? (JSON.parse(row.body) as StoredVocabulary) : undefined;
    // A vocabulary fitted under other options than this version's is stale: fit a new one (models follow,
    // as each names the vocabulary it was trained under).
    const stored = parsed && sameOptions(parsed.fit, vocabularyOptions(parsed.background.length)) ? parsed : undefined;
    // The background is the papers the vocabulary was fitted on, so every instance draws the same sample.
    const ids = stored ? stored.background : await repo.newestPaperIds(db.kysely, FIT_PAPERS);
    for (let at = 0; at < ids.length; at += 500) {
      const texts = await repo.paperTexts(db.kysely, ids.slice(at, at + 500), null);
      await trainer.addTexts(texts.map((t) => ({ title: t.title, abstract: t.abstract, categories: t.categories })));
    }
    const fit = vocabularyOptions(ids.length);
    const vocabulary = stored ? { terms: stored.terms, idf: stored.idf, documents: stored.documents } : null;
    const built = await trainer.context(vocabulary, fit, ids, embedder);
    if (!stored) {
      await repo.insertVocabulary(db.kysely, { id: built.vocabularyId, body: built.body!, papers: ids.length, created_at: new Date().toISOString() });
      // Another instance stored one first: use that one, as it does.
      if ((await repo.latestVocabulary(db.kysely))?.id !== built.vocabularyId) {
        await Promise.all([trainer.close(), preparer.close()]);
        return loadState(db);
      }
    }
    await preparer.vocabulary(vocabulary ?? built.vocabulary!);
    const terms = vocabularyTerms(vocabulary ?? built.vocabulary!);
    return { vocabularyId: stored ? row!.id : built.vocabularyId, terms, embedder, trainer, preparer, pools: new Map(), building: new Map(), models: new Map(), training: new Map() };
  } catch (err) {
    await Promise.all([trainer.close(), preparer.close()]);
    throw err;
  }
}

function sameOptions(a: TfidfOptions | undefined, b: TfidfOptions): boolean {
  return a !== undefined && a.maxFeatures === b.maxFeatures && a.minDf === b.minDf && a.maxDf === b.maxDf;
}

/** Forgets the cached state and ends its workers (after a test changes the store, or a vocabulary is refitted). */
export function forgetStoreContext(db: Db): void {
  const state = states.get(db);
  states.delete(db);
  void state?.then((s) => Promise.all([s.trainer.close(), s.preparer.close()])).catch(() => undefined);
}

/** Resolves when the retrains under way in this process have finished (tests, and a clean shutdown). */
export async function trainingSettled(db: Db): Promise<void> {
  const state = await states.get(db)?.catch(() => undefined);
  if (state) await Promise.allSettled([...state.training.values()].map((t) => t.promise));
}

const toSignal = (t: repo.TextRow, kind: SignalKind, at: string): SignalPaper => ({ id: String(t.id), title: t.title, abstract: t.abstract, categories: t.categories, vector: t.vector, at, kind });

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
  // An uploaded library's entries the store does not hold, by their text (import.service.ts#keepAsText).
  for (const r of await readerReferences(db.kysely, userId, settings?.reset_at ?? '')) {
    if (collectionId === undefined || r.collection_id === collectionId) positives.push({ id: `${REFERENCE_PREFIX}${r.id}`, title: r.title, abstract: r.abstract, categories: [], at: r.added_at, kind: 'library' });
  }
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

function remember(state: StoreState, key: string, entry: Cached): void {
  state.models.delete(key);
  state.models.set(key, entry);
  if (state.models.size > MODEL_CACHE) state.models.delete(state.models.keys().next().value!);
}

/** Trains a stream's model in the worker and stores it (one training per stream and fingerprint at a time). */
function retrain(db: Db, state: StoreState, userId: number, collectionId: number | undefined, key: string, stream: string, fingerprint: string, now: Date): Promise<ReaderModel> {
  const running = state.training.get(key);
  if (running?.fingerprint === fingerprint) return running.promise;
  const promise = (async () => {
    const signals = await readerSignals(db, userId, state.embedder, collectionId);
    const { model, json } = await state.trainer.train(signals, now);
    const trainedAt = now.toISOString();
    await repo.putModelRow(db.kysely, { user_id: userId, stream, vocabulary_id: state.vocabularyId, fingerprint, body: json, trained_at: trainedAt });
    remember(state, key, { fingerprint, trainedAt, vocabularyId: state.vocabularyId, model });
    return model;
  })();
  state.training.set(key, { fingerprint, promise });
  const done = () => {
    if (state.training.get(key)?.promise === promise) state.training.delete(key);
  };
  promise.then(done, done);
  return promise;
}

/**
 * The model a request ranks with: the stored one when its fingerprint is the reader's signals' (parsed
 * once per process); otherwise a retrain, waited for until `deadline`, then the previous model if there
 * is one under this vocabulary (undefined if not: the page says it is being prepared). With no previous
 * model and no signal given in the last RECENT_SIGNAL_MS the wait would only delay that notice (a first
 * model of a large library, or every reader's after a vocabulary refit): the retrain goes on in the
 * background and the request does not wait for it.
 */
export async function servedModel(db: Db, state: StoreState, userId: number, collectionId: number | undefined, now: Date, deadline: number): Promise<ReaderModel | undefined> {
  const stream = collectionId === undefined ? '' : `collection:${collectionId}`;
  const key = `${userId}#${stream}`;
  const [signals, meta] = await Promise.all([repo.signalFingerprint(db.kysely, userId), repo.getModelMeta(db.kysely, userId, stream)]);
  const fingerprint = `${signals.fingerprint}#${stream}`;
  const usable = meta !== undefined && meta.vocabulary_id === state.vocabularyId;
  const stored = async (): Promise<ReaderModel | undefined> => {
    if (!usable) return undefined;
    const cached = state.models.get(key);
    // Another instance may have stored a newer model: the row's fingerprint and time say which one this is.
    if (cached && cached.fingerprint === meta.fingerprint && cached.trainedAt === meta.trained_at) return cached.model;
    const row = await repo.getModelRow(db.kysely, userId, stream);
    const model = row && modelFromJson(row.body);
    if (row && model) remember(state, key, { fingerprint: row.fingerprint, trainedAt: row.trained_at, vocabularyId: row.vocabulary_id, model });
    return model;
  };
  if (meta?.fingerprint === fingerprint) {
    const model = await stored();
    if (model) return model;
  }
  const training = retrain(db, state, userId, collectionId, key, stream, fingerprint, now);
  const quiet = signals.latestAt !== null && Date.now() - Date.parse(signals.latestAt) > RECENT_SIGNAL_MS;
  const fresh = await within(training, !usable && quiet && deadline !== Infinity ? Date.now() : deadline);
  if (fresh !== LATE) return fresh;
  const previous = await stored();
  return previous && (await withSteering(db, userId, previous));
}

/**
 * The previous model with the reader's current follows, mutes and "not interested" papers (a few small
 * reads, no training): what the reader hid stays hidden on the next load even while the retrain runs.
 */
async function withSteering(db: Db, userId: number, model: ReaderModel): Promise<ReaderModel> {
  const settings = await repo.getSettings(db.kysely, userId);
  const rows = await repo.signalRows(db.kysely, userId, settings?.reset_at ?? null);
  const pick = (kind: 'paper' | 'author' | 'term') => rows.mutes.filter((m) => m.kind === kind).map((m) => m.value);
  const categories = settings ? (JSON.parse(settings.categories) as string[]) : [];
  return {
    ...model,
    follows: {
      authors: rows.follows.flatMap((f) => f.author ?? []),
      organizations: rows.follows.flatMap((f) => f.organization ?? []),
      categories: [...new Set([...rows.follows.flatMap((f) => f.category ?? []), ...categories])],
    },
    mutes: { papers: [...pick('paper'), ...rows.dismissed.map((r) => String(r.paper_id))], authors: pick('author'), terms: pick('term') },
  };
}

/** Papers by id in chunks (each chunk's rows are decoded on the main thread in one go). */
async function papersInChunks(db: Db, ids: number[]) {
  const out = [];
  for (let at = 0; at < ids.length; at += 500) out.push(...(await getPapers(db.kysely, ids.slice(at, at + 500))));
  return out;
}

async function buildPool(db: Db, state: StoreState, since: string, until: string | undefined): Promise<Pool> {
  const ids = await filteredPaperIds(db, { since, until }, 'newest', 3000);
  const texts = await repo.paperTexts(db.kysely, ids, state.embedder);
  const authors = new Map((await papersInChunks(db, ids)).map((p) => [p.id, p.authors.map((a) => a.name)]));
  const candidates = texts.map((t) => ({ id: String(t.id), title: t.title, abstract: t.abstract, categories: t.categories, authors: authors.get(t.id) ?? [], vector: t.vector, day: t.announced_on ?? '' }));
  return { pool: await state.preparer.pool(candidates), ids: texts.map((t) => t.id), at: Date.now() };
}

/**
 * The candidates: papers of the newest `days` listing days (at most 3,000), prepared in the worker; a
 * pool older than a minute is used while a fresh one is prepared. Undefined when the first one of a
 * window is not ready by `deadline`.
 */
export async function candidatePool(db: Db, state: StoreState, days: number, now: Date, deadline: number, window?: { from: string; day: string }): Promise<Pool | undefined> {
  let since = window?.from;
  if (!since) {
    const newestDay = (await getPapers(db.kysely, await filteredPaperIds(db, {}, 'newest', 1)))[0]?.announcedOn ?? now.toISOString().slice(0, 10);
    since = addDays(newestDay, -(days - 1));
  }
  const key = `${since}..${window?.day ?? ''}`;
  const build = () => {
    let running = state.building.get(key);
    if (!running) {
      running = buildPool(db, state, since, window?.day);
      state.building.set(key, running);
      const done = () => state.building.delete(key);
      running.then((entry) => {
        done();
        state.pools.set(key, entry);
        for (const [k, v] of state.pools) if (Date.now() - v.at > 10 * POOL_FRESH_MS) state.pools.delete(k);
      }, done);
    }
    return running;
  };
  const cached = state.pools.get(key);
  if (cached) {
    if (Date.now() - cached.at >= POOL_FRESH_MS) build().catch(() => undefined);
    return cached;
  }
  const fresh = await within(build(), deadline);
  return fresh === LATE ? undefined : fresh;
}

/**
 * Builds the store's context and the default listing's pool (at start-up and after new papers arrive),
 * so that the first For-you page finds them ready instead of saying it is being prepared.
 */
export async function prepareRecommendations(db: Db, now = new Date()): Promise<void> {
  await candidatePool(db, await storeContext(db), DEFAULT_DAYS, now, Infinity);
}
