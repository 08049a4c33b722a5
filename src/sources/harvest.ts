/**
 * What the harvesters of each kind share with the runner: how they write a page and report progress, and
 * what a harvest comes to. A page is parsed whole before anything is written (a malformed page is refused
 * as a whole, never imported half), written in the importer's short transactions, and only then is the
 * source's progress (the token of the next page) moved on — so a process killed at any moment leaves
 * whole papers and resumes with the page it had not finished: its written records count as unchanged.
 */
import type { Db } from '../db/database.ts';
import type { PoliteHttpClient } from '../fetch/http.ts';
import type { PageParser } from '../fetch/page-parser.ts';
import { importEvents, type Format, type ImportReport } from '../importers/import.service.ts';
import type { ParseEvent } from '../importers/types.ts';
import type { ArxivCalendar } from './calendar.ts';
import type { DuePlan } from './schedule.ts';
import type { SourcePatch, SourceRow } from './sources.repo.ts';

/** The endpoints harvests talk to (ARXIV_OAI_URL, ARXIV_API_URL, HF_API_URL). */
export interface Endpoints {
  arxivOai: string;
  arxivApi: string;
  hfApi: string;
}

/** What a harvester is given. */
export interface HarvestIo {
  db: Db;
  client: PoliteHttpClient;
  /** Parses pages (in the server: a worker thread, so a big page never holds the event loop). */
  parse: PageParser;
  now: () => Date;
  cal: ArxivCalendar;
  endpoints: Endpoints;
  /**
   * Records a written page: the run's counts, and the source's progress (the token of the next page and
   * the records per listing day so far). Throws Stopped when the run must end here (the host lease was
   * lost to another process, or the server is stopping).
   */
  committed(page: PageWrite): Promise<void>;
}

/** One written page, as the runner records it. */
export interface PageWrite {
  /** What writing the page did; absent when there was nothing to write (a feed answering 304). */
  report?: ImportReport;
  requests: number;
  /** Records per listing day in the harvest so far (this page included). */
  days?: Record<string, number>;
  /** The OAI token of the next page; null when the list is complete. */
  resumeToken?: string | null;
}

/** What a harvest came to, and how the source moves on. */
export interface HarvestOutcome {
  status: 'success' | 'warning' | 'late';
  message?: string;
  via: string;
  patch: SourcePatch;
}

/** A harvester of one kind of source. */
export type Harvester = (io: HarvestIo, source: SourceRow, plan: DuePlan) => Promise<HarvestOutcome>;

/** The run ends here, its progress kept: the lease went to another process, or the server is stopping. */
export class Stopped extends Error {}

/**
 * Writes one page's events (a whole page, already parsed) and returns the import report. In short
 * transactions of at most 200 records, sized to about 20 ms on SQLite: the process also serves requests.
 */
export function writePage(io: HarvestIo, events: ParseEvent[], where: string, format: Format): Promise<ImportReport> {
  return importEvents(io.db, events, { source: where, format, pacing: { alwaysShare: true, maxBatch: 200 } });
}

/** Adds a page's records to the per-day counts of a harvest. */
export function countDays(days: Record<string, number>, events: ParseEvent[]): Record<string, number> {
  for (const e of events) if (e.kind === 'record' && e.record.announcedOn) days[e.record.announcedOn] = (days[e.record.announcedOn] ?? 0) + 1;
  return days;
}
