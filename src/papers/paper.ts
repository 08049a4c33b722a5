/** Names of the sources a paper record can come from; stored in provenance. */
export type SourceName = 'hf-page' | 'hf-daily' | 'arxiv-atom' | 'arxiv-oai' | 'arxiv-jsonl' | 'jsonl' | 'demo';

/**
 * One source's description of a paper, as every importer produces it. Only `title` is required;
 * everything a source does not know stays undefined so that merging keeps what others said.
 */
export interface PaperRecord {
  source: SourceName;
  arxivId?: string;
  version?: number;
  doi?: string;
  title: string;
  abstract?: string;
  authors?: string[];
  /** Affiliation per author name, where the source gives it. */
  authorCount?: number;
  categories?: string[];
  primaryCategory?: string;
  /** ISO 8601 timestamps. */
  publishedAt?: string;
  updatedAt?: string;
  /** YYYY-MM-DD: the day the paper was listed. */
  announcedOn?: string;
  comment?: string;
  journalRef?: string;
  organization?: { name: string; slug?: string };
  upvotes?: number;
  links?: { abs?: string; pdf?: string; code?: string; project?: string };
}

/** A paper as stored and shown, with its authors, categories and organization resolved. */
export interface Paper {
  id: number;
  arxivId: string | null;
  version: number | null;
  doi: string | null;
  title: string;
  abstract: string;
  authors: { id: number; name: string }[];
  authorCount: number | null;
  categories: string[];
  primaryCategory: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  announcedOn: string | null;
  comment: string | null;
  journalRef: string | null;
  organization: { id: number; slug: string; name: string } | null;
  upvotes: number;
  hotness: number;
  links: { abs: string | null; pdf: string | null; code: string | null; project: string | null };
  provenance: Record<string, { source: SourceName; asOf: string }>;
}
