import type { Generated } from 'kysely';
import type { AccountTables } from './schema.accounts.ts';
import type { CollectionTables } from './schema.collections.ts';
import type { CommunityTables } from './schema.community.ts';
import type { RecommendTables } from './schema.recommend.ts';
import type { SourceTables } from './schema.sources.ts';
import type { SubscriptionTables } from './schema.subscriptions.ts';

/** A paper: one row per work, however many sources and versions describe it. */
export interface PapersTable {
  id: Generated<number>;
  arxiv_id: string | null;
  version: number | null;
  doi: string | null;
  title: string;
  /** Lower-cased, punctuation-free title: the dedup key of papers without arXiv id or DOI. */
  title_norm: string;
  abstract: string;
  comment: string | null;
  journal_ref: string | null;
  primary_category: string | null;
  /** ISO timestamps as the source gave them. */
  published_at: string | null;
  updated_at: string | null;
  /** YYYY-MM-DD: the day the paper was first listed (arXiv announcement or HF daily). */
  announced_on: string | null;
  organization_id: number | null;
  /** Author count when only a count is known (HF daily layout). */
  author_count: number | null;
  /** Upvotes imported from Hugging Face: the largest count any one source reported. */
  upvotes: number;
  /** Votes cast by this instance's accounts (rows of paper_votes, migration 0011); kept apart from `upvotes`. */
  local_votes: Generated<number>;
  hotness: Generated<number>;
  abs_url: string | null;
  pdf_url: string | null;
  code_url: string | null;
  project_url: string | null;
  /** JSON: field name -> { source, asOf } of the value now stored. */
  provenance: string;
  /** JSON: source name -> { key, upvotes, hash, seenAt }. */
  sources: string;
  created_at: string;
  modified_at: string;
  /** Grows by one whenever the title or abstract changes: what vectors and the term index are computed from. */
  text_revision: Generated<number>;
  /** 1 when the latest arXiv version withdraws the paper (migration 0010). */
  withdrawn: Generated<number>;
}

/** A person, deduplicated on a normalized name. */
export interface AuthorsTable {
  id: Generated<number>;
  name: string;
  name_norm: string;
  /** The last word of `name_norm` (`lecun`): where "full name or surname" matching starts. */
  last_word: Generated<string>;
}

/** Authors of a paper in byline order. */
export interface PaperAuthorsTable {
  paper_id: number;
  position: number;
  author_id: number;
}

/** A lab or company (HF "organization"). */
export interface OrganizationsTable {
  id: Generated<number>;
  slug: string;
  name: string;
}

/** Categories of a paper; `is_primary` is 1 for the primary one. */
export interface PaperCategoriesTable {
  paper_id: number;
  category: string;
  is_primary: number;
  /** `category` lower-cased (`cs.lg`): what a category filter matches, whatever case it was typed in. */
  category_key: Generated<string>;
  /** The archive, lower-cased (`cs` for cs.LG, `hep-th` for hep-th): what an archive filter (`cat:cs`) matches. */
  archive: Generated<string>;
}

/** One embedding per paper, made by the embedder named in `embedder`. */
export interface PaperVectorsTable {
  paper_id: number;
  embedder: string;
  dimensions: number;
  /** Little-endian float32 values. */
  vector: Uint8Array;
  created_at: string;
  /** The paper's `text_revision` the vector was embedded from; older than the paper's means stale. */
  text_revision: Generated<number>;
}

/** Which version of a derived artifact (an index rebuilt from the papers) the stored data is at; see src/db/derived.ts. */
export interface DerivedStateTable {
  name: string;
  version: number;
  updated_at: string;
}

/** The typed shape of the whole database, shared by SQLite and PostgreSQL. */
export interface Database extends SubscriptionTables, AccountTables, SourceTables, CommunityTables, CollectionTables, RecommendTables {
  papers: PapersTable;
  authors: AuthorsTable;
  paper_authors: PaperAuthorsTable;
  organizations: OrganizationsTable;
  paper_categories: PaperCategoriesTable;
  paper_vectors: PaperVectorsTable;
  derived_state: DerivedStateTable;
}
