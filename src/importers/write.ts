/**
 * Writes parsed records to the store in batches. On SQLite one writer at a time holds the whole file, so
 * while a `paperboy serve` uses the same file the batches become short transactions, sized by time rather
 * than by count, and the writer steps aside after each one: the server's own writes (subscriptions, mail
 * claims) go through during a long import.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { othersPresent } from '../db/presence.ts';
import { prepareRecord, upsertPrepared, type KnownLine, type PreparedRecord, type UpsertCounts } from '../papers/papers.service.ts';
import { parseJsonlLine } from './jsonl.ts';
import { keywordIndexFor } from '../search/keyword-index.ts';
import type { JsonlEvent, KnownLineEvent } from './types.ts';

/**
 * How the writer paces itself. On SQLite, while another process uses the store (a `paperboy serve`, see
 * db/presence.ts), transactions aim at 20 ms with a pause after each; alone they are batches of up to 4,000
 * records, and on PostgreSQL (which locks rows, not the store) of up to 1,000: the fastest way in.
 */
export interface WritePacing {
  /** Aim for write transactions about this long while sharing the store (default 20 ms). */
  targetMs?: number;
  /**
   * Pause after each transaction while sharing, so another process's waiting write gets the lock
   * (default 2 ms, or 25 ms after another connection has just written).
   */
  pauseMs?: number;
  /** Most records per transaction (default 1,000 while sharing, ALONE_BATCH alone). */
  maxBatch?: number;
  /** Pace as if the store were shared even when nobody else announces using it (tests, benchmarks). */
  alwaysShare?: boolean;
}

/** How long the write transactions held the store: the figure to keep well under 50 ms on SQLite. */
export interface TransactionStats {
  count: number;
  p50Ms: number;
  p99Ms: number;
  longestMs: number;
}

/** What writing a stream of events did: counts, every skip and note with its location, transaction times. */
export interface WriteResult extends UpsertCounts {
  skipped: { location: string; reason: string }[];
  notes: { location: string; note: string }[];
  transactions: TransactionStats;
}

const MIN_BATCH = 16;
/**
 * Records per transaction when nobody else uses the store: each commit writes every page the batch touched
 * (index pages of random keys are touched by nearly every batch), so fewer, larger commits write less.
 */
const ALONE_BATCH = 4000;
/** How often a long write asks whether another process has started using the store. */
const PRESENCE_CHECK_MS = 1000;
/** How long to step aside after a transaction when another connection has been writing. */
const YIELD_MS = 25;
/** Transactions between two WAL checkpoints during an import. */
const CHECKPOINT_EVERY = 300;

/**
 * Upserts the records among `events` in transactions of about `targetMs` each (the batch size follows
 * the measured cost per record), collecting skips and notes. `onWritten` is told after each commit.
 */
export async function writeEvents(
  db: Db,
  events: Iterable<JsonlEvent> | AsyncIterable<JsonlEvent>,
  pacing: WritePacing = {},
  onWritten?: (events: number) => void,
  onBatch?: (counts: UpsertCounts) => void,
): Promise<WriteResult> {
  const sqlite = db.dialect === 'sqlite';
  const targetMs = pacing.targetMs ?? 20;
  const pauseMs = pacing.pauseMs ?? 2;
  const maxBatch = pacing.maxBatch ?? 1000;
  const aloneBatch = pacing.maxBatch ?? (sqlite ? ALONE_BATCH : 1000);
  let shared = false;
  let checkedAt = -Infinity;
  const sharing = () => {
    if (!sqlite) return false;
    if (pacing.alwaysShare) return true;
    if (performance.now() - checkedAt >= PRESENCE_CHECK_MS) {
      shared = othersPresent(db.location);
      checkedAt = performance.now();
    }
    return shared;
  };
  const keyword = keywordIndexFor(db.dialect);
  const result: WriteResult = { added: 0, updated: 0, unchanged: 0, skipped: [], notes: [], transactions: { count: 0, p50Ms: 0, p99Ms: 0, longestMs: 0 } };
  const held: number[] = [];
  let msPerRecord: number | undefined;
  let batchSize = sharing() ? Math.min(maxBatch, 50) : aloneBatch;
  let batch: (PreparedRecord | KnownLine)[] = [];
  let seen = 0;

  // SQLite checkpoints the WAL inside the COMMIT that fills it (after releasing the write lock, but it
  // would count as holding it here, and its fsync is the slowest step); checkpoint between transactions instead.
  if (sqlite) await sql`PRAGMA wal_autocheckpoint = 0`.execute(db.kysely);
  let sinceCheckpoint = 0;
  // data_version changes when another connection commits: someone is writing between our transactions, and
  // one request often writes several times in a row, so step aside long enough for all of them.
  let version: number | undefined;
  const othersWrote = async () => {
    if (!sqlite) return false;
    const { rows } = await sql<{ data_version: number }>`PRAGMA data_version`.execute(db.kysely);
    const changed = version !== undefined && rows[0].data_version !== version;
    version = rows[0].data_version;
    return changed;
  };
  const flush = async () => {
    if (batch.length === 0) return;
    let began = 0;
    const counts = await db.kysely.transaction().execute(async (trx) => {
      // Timed from inside: waiting for the lock is not holding it.
      began = performance.now();
      return upsertPrepared(trx, keyword, batch);
    });
    const ms = performance.now() - began;
    held.push(ms);
    result.added += counts.added;
    result.updated += counts.updated;
    result.unchanged += counts.unchanged;
    onBatch?.(counts);
    // A moving average of the cost per record sizes the next batch; unchanged records cost far less than new ones.
    const perRecord = ms / batch.length;
    msPerRecord = msPerRecord === undefined ? perRecord : 0.7 * msPerRecord + 0.3 * perRecord;
    batchSize = sharing() ? Math.max(MIN_BATCH, Math.min(maxBatch, Math.floor(targetMs / Math.max(msPerRecord, 0.001)))) : aloneBatch;
    batch = [];
    onWritten?.(seen);
    if (sqlite && ++sinceCheckpoint >= CHECKPOINT_EVERY) {
      sinceCheckpoint = 0;
      await sql`PRAGMA wal_checkpoint(PASSIVE)`.execute(db.kysely);
    }
    if (pauseMs > 0 && sharing()) {
      const ms = (await othersWrote()) ? YIELD_MS : pauseMs;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  };

  try {
    for await (const event of events) {
      seen++;
      if (event.kind === 'skip') {
        result.skipped.push({ location: event.location, reason: event.reason });
        continue;
      }
      if (event.kind === 'known') batch.push(knownLine(event));
      else {
        for (const note of event.notes ?? []) result.notes.push({ location: event.location, note });
        batch.push(event.prepared ?? prepareRecord(event.record));
      }
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    // The connection's default (1,000 pages) again, for whatever it does next, and a WAL copied back now.
    if (sqlite) {
      await sql`PRAGMA wal_autocheckpoint = 1000`.execute(db.kysely);
      await sql`PRAGMA wal_checkpoint(PASSIVE)`.execute(db.kysely);
    }
  }
  result.transactions = summarize(held);
  return result;
}

/** A known line as the merge takes it: read on the main thread only if the merge finds its paper changed. */
function knownLine(event: KnownLineEvent): KnownLine {
  return {
    known: true,
    line: event.line,
    paperId: event.paperId,
    parse() {
      const read = parseJsonlLine(event.text, event.location, event.reader);
      // The same text and reader were accepted before, and the record schema has no rule that tightens with time.
      if (read.kind !== 'record') throw new Error(`import: ${event.location} was imported before but is now refused: ${read.reason}`);
      return { ...prepareRecord(read.record, true), line: read.line };
    },
  };
}

function summarize(ms: number[]): TransactionStats {
  if (ms.length === 0) return { count: 0, p50Ms: 0, p99Ms: 0, longestMs: 0 };
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: ms.length, p50Ms: at(0.5), p99Ms: at(0.99), longestMs: sorted[sorted.length - 1] };
}
