import crypto, { createHash } from 'node:crypto';
import { extractLinks, httpUrl } from './links.ts';
import { cleanText, normalizeDoi, normalizeTitle, parseArxivId, slugify } from './normalize.ts';
import type { PaperRecord, SourceName } from './paper.ts';

/** What one source last said about a paper: its upvotes and a hash of its record, to skip re-imports. */
export interface SourceSeen {
  upvotes?: number;
  hash: string;
  /**
   * Hash of the JSON Lines line the record was read from (importers/jsonl.ts#lineHash), so a bulk re-import
   * recognises an unchanged line without parsing it. Written with the record and dropped when the source
   * says something else, so it never outlives the record it stands for.
   */
  line?: string;
}

/** Everything stored about a paper, in memory, before it is written: the unit the merge rules work on. */
export interface PaperState {
  id?: number;
  arxivId: string | null;
  version: number | null;
  doi: string | null;
  title: string;
  titleNorm: string;
  abstract: string;
  comment: string | null;
  journalRef: string | null;
  primaryCategory: string | null;
  categories: string[];
  publishedAt: string | null;
  updatedAt: string | null;
  announcedOn: string | null;
  authors: string[];
  authorCount: number | null;
  organization: { name: string; slug: string } | null;
  upvotes: number;
  links: { abs: string | null; pdf: string | null; code: string | null; project: string | null };
  provenance: Record<string, { source: SourceName; asOf: string }>;
  sources: Partial<Record<SourceName, SourceSeen>>;
  /** The latest arXiv version withdraws the paper. */
  withdrawn: boolean;
}

/** Fields whose provenance is tracked; the value of each comes from exactly one source. */
const TRACKED = [
  'title', 'abstract', 'doi', 'comment', 'journalRef', 'primaryCategory', 'categories', 'updatedAt',
  'authors', 'authorCount', 'organization', 'abs', 'pdf', 'code', 'project',
] as const;
type Tracked = (typeof TRACKED)[number];

/** A stable fingerprint of a record, so re-importing the same source record is detected without merging. */
export function recordHash(record: PaperRecord): string {
  return hashOfRecordJson(JSON.stringify(record));
}

/** recordHash given the record's JSON.stringify, when the caller keeps that text too. */
export function hashOfRecordJson(text: string): string {
  // crypto.hash (Node 20.12+) skips building a Hash object per record: a tenth of an unchanged re-import.
  return (oneShot ? oneShot('sha1', text, 'base64url') : createHash('sha1').update(text).digest('base64url')).slice(0, 16);
}

const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

/** Normalizes what importers produced: ids split from versions, text unwrapped, links found, empty values dropped. */
export function normalizeRecord(input: PaperRecord): PaperRecord {
  const r: PaperRecord = { ...input, title: cleanText(input.title) };
  if (r.arxivId) {
    const parsed = parseArxivId(r.arxivId);
    if (parsed) {
      r.arxivId = parsed.id;
      if (parsed.version && !r.version) r.version = parsed.version;
    } else delete r.arxivId;
  }
  if (r.doi) {
    const doi = normalizeDoi(r.doi);
    if (doi) r.doi = doi;
    else delete r.doi;
  }
  if (r.abstract !== undefined) r.abstract = cleanText(r.abstract) || undefined;
  if (r.comment !== undefined) r.comment = cleanText(r.comment) || undefined;
  if (r.authors) r.authors = r.authors.map(cleanText).filter(Boolean);
  if (r.authors && r.authors.length === 0) delete r.authors;
  if (r.categories) r.categories = [...new Set(r.categories.map((c) => c.trim()).filter(Boolean))];
  if (r.categories && !r.primaryCategory) r.primaryCategory = r.categories[0];
  const found = extractLinks(r.abstract, r.comment);
  const links = { ...r.links };
  links.code ??= found.code;
  links.project ??= found.project;
  if (r.arxivId) {
    links.abs ??= `https://arxiv.org/abs/${r.arxivId}`;
    links.pdf ??= `https://arxiv.org/pdf/${r.arxivId}`;
  }
  // Only http(s) links are ever stored, whoever built the record (the schema already drops the rest with a note).
  r.links = Object.fromEntries(Object.entries(links).filter(([, v]) => v && httpUrl(v))) as PaperRecord['links'];
  return r;
}

/** The empty state a new paper starts from. */
export function emptyState(title: string): PaperState {
  return {
    arxivId: null, version: null, doi: null, title, titleNorm: normalizeTitle(title), abstract: '', comment: null,
    journalRef: null, primaryCategory: null, categories: [], publishedAt: null, updatedAt: null, announcedOn: null,
    authors: [], authorCount: null, organization: null, upvotes: 0,
    links: { abs: null, pdf: null, code: null, project: null }, provenance: {}, sources: {}, withdrawn: false,
  };
}

function incomingValue(r: PaperRecord, field: Tracked): unknown {
  switch (field) {
    case 'organization':
      return r.organization ? { name: r.organization.name, slug: r.organization.slug ?? slugify(r.organization.name) } : undefined;
    case 'abs': case 'pdf': case 'code': case 'project':
      return r.links?.[field];
    default:
      return r[field];
  }
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function setField(state: PaperState, field: Tracked, value: any): void {
  if (field === 'abs' || field === 'pdf' || field === 'code' || field === 'project') state.links[field] = value;
  else if (field === 'title') {
    state.title = value;
    state.titleNorm = normalizeTitle(value);
  } else (state as any)[field] = value;
}

function currentValue(state: PaperState, field: Tracked): unknown {
  if (field === 'abs' || field === 'pdf' || field === 'code' || field === 'project') return state.links[field];
  return (state as any)[field];
}

function earliest(a: string | null, b: string | undefined): string | null {
  if (!b) return a;
  return !a || b < a ? b : a;
}

/**
 * Folds one normalized record into a paper's state. Newer metadata wins field by field (by the
 * record's own updated/published date; a later import wins a tie), a higher arXiv version wins, empty
 * values never erase known ones, first-listing dates keep the earliest, and upvotes are the maximum
 * any one source reported so the same votes seen twice are not counted twice.
 */
export function mergeRecord(state: PaperState, r: PaperRecord, hash: string, line?: string): PaperState {
  // A hand-written copy: structuredClone is a serialize/deserialize round trip and dominated bulk imports.
  const next: PaperState = {
    ...state,
    categories: [...state.categories],
    authors: [...state.authors],
    organization: state.organization && { ...state.organization },
    links: { ...state.links },
    provenance: { ...state.provenance },
    sources: { ...state.sources },
  };
  const asOf = r.updatedAt ?? r.publishedAt ?? r.announcedOn ?? '';
  const newerVersion = r.version !== undefined && (next.version === null || r.version > next.version);
  const olderVersion = r.version !== undefined && next.version !== null && r.version < next.version;
  for (const field of TRACKED) {
    const value = incomingValue(r, field);
    if (isEmpty(value)) continue;
    const prov = next.provenance[field];
    const wins = isEmpty(currentValue(next, field)) || newerVersion || (!olderVersion && (!prov || asOf >= prov.asOf));
    if (!wins) continue;
    setField(next, field, value);
    next.provenance[field] = { source: r.source, asOf };
  }
  if (r.arxivId && !next.arxivId) next.arxivId = r.arxivId;
  // A withdrawal is a version of its own: the newest version says whether the paper stands (a later one may
  // reinstate it); a source that does not number versions can only mark it.
  if (newerVersion) next.withdrawn = r.withdrawn === true;
  else if (r.withdrawn && !olderVersion) next.withdrawn = true;
  if (r.version !== undefined && (next.version === null || r.version > next.version)) next.version = r.version;
  if (r.categories?.length && next.primaryCategory && !next.categories.includes(next.primaryCategory)) {
    next.categories = [next.primaryCategory, ...next.categories];
  }
  next.publishedAt = earliest(next.publishedAt, r.publishedAt);
  next.announcedOn = earliest(next.announcedOn, r.announcedOn);
  next.sources[r.source] = { hash, ...(line ? { line } : {}), ...(r.upvotes !== undefined ? { upvotes: r.upvotes } : {}) };
  next.upvotes = Math.max(0, ...Object.values(next.sources).map((s) => s?.upvotes ?? 0));
  return next;
}

/** True when two states would store the same paper (ignoring the per-source bookkeeping). */
export function sameContent(a: PaperState, b: PaperState): boolean {
  const strip = ({ sources: _s, provenance: _p, id: _i, ...rest }: PaperState) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
