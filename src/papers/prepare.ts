/**
 * What merging a record needs, computed ahead of the merge (papers.service.ts#upsertPrepared). A module of
 * its own, with no database or search modules behind it, so the import's parser thread starts in a fraction
 * of the time loading papers.service.ts took.
 */
import { withCompounds } from '../search/compounds.ts';
import { hashOfRecordJson, normalizeRecord } from './merge.ts';
import { normalizeDoi, normalizeTitle, parseArxivId } from './normalize.ts';
import type { PaperRecord } from './paper.ts';

/**
 * A record with what merging it needs computed ahead: its hash, match keys and, optionally, its normalized
 * form. All of it is a pure function of the record, so a bulk import computes it in a worker thread
 * (importers/parse-worker.ts) while the main thread writes; `normalized` is left out where the record will
 * most likely be found unchanged, and the merge normalizes the few that are not.
 */
export interface PreparedRecord {
  /** The record; a lazily parsed getter when it crossed threads as `json` (only changed records are parsed). */
  record: PaperRecord;
  source: PaperRecord['source'];
  hash: string;
  /** Matched on: arXiv id without version, DOI, normalized title (without the costlier text clean-up). */
  arxivId?: string;
  doi?: string;
  titleNorm: string;
  /** JSON.stringify(record), kept by prepareRecord's `keepJson`. */
  json?: string;
  normalized?: PaperRecord;
  /** The keyword index's text (withCompounds) of the normalized title and abstract, with `normalized`. */
  compounded?: { title: string; abstract: string };
  /** Hash of the JSON Lines line the record came from, stored with its source (SourceSeen.line). */
  line?: string;
}

/**
 * A line of a bulk import that a stored paper's source was read from last time (SourceSeen.line): not
 * parsed by the reader, only counted, unless the merge finds the paper's source has since changed (an
 * earlier line of the same import, or another writer), when `parse` gives the record after all.
 */
export interface KnownLine {
  known: true;
  line: string;
  paperId: number;
  parse: () => PreparedRecord;
}

/**
 * Computes a record's hash and match keys, and its normalized form when `normalize` is set; `keepJson` also
 * keeps the record's JSON text the hash was taken of (what a worker sends instead of the record).
 */
export function prepareRecord(record: PaperRecord, normalize = false, keepJson = false): PreparedRecord {
  const json = JSON.stringify(record);
  const p: PreparedRecord = { record, source: record.source, hash: hashOfRecordJson(json), titleNorm: normalizeTitle(record.title) };
  if (keepJson) p.json = json;
  const arxivId = record.arxivId ? parseArxivId(record.arxivId)?.id : undefined;
  if (arxivId) p.arxivId = arxivId;
  const doi = record.doi ? normalizeDoi(record.doi) : undefined;
  if (doi) p.doi = doi;
  if (normalize) {
    const n = (p.normalized = normalizeRecord(record));
    p.compounded = { title: withCompounds(n.title), abstract: withCompounds(n.abstract ?? '') };
  }
  return p;
}
