import type { Generated } from 'kysely';

/** Who may see a collection: its owner only, anyone with its link, or anyone (listed on /collections). */
export type CollectionVisibility = 'private' | 'unlisted' | 'public';

/** A named list of papers an account keeps. */
export interface CollectionsTable {
  id: Generated<number>;
  /** Random and URL-safe: every address of the collection uses it, so an unlisted one cannot be guessed. */
  public_id: string;
  user_id: number;
  name: string;
  description: Generated<string>;
  visibility: Generated<CollectionVisibility>;
  created_at: string;
  updated_at: string;
}

/** A paper in a collection, with the owner's note about it. */
export interface CollectionPapersTable {
  collection_id: number;
  paper_id: number;
  note: Generated<string>;
  added_at: string;
}

/** A reference of an uploaded library that matches no stored paper, kept by its text (migration 0016). */
export interface CollectionReferencesTable {
  id: Generated<number>;
  collection_id: number;
  title: string;
  abstract: Generated<string>;
  /** normalizeTitle(title): one row per reference and collection. */
  title_norm: string;
  added_at: string;
}

/** A comment on a paper, or a reply to one (`parent_id`). */
export interface CommentsTable {
  id: Generated<number>;
  paper_id: number;
  user_id: number;
  parent_id: number | null;
  /** Markdown as written; empty once deleted. */
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  /** Set while a moderator hides the comment. */
  hidden_at: string | null;
  hidden_by: number | null;
  /** The body rendered (sanitized, math typeset) when written; null before migration 0015 or once deleted. */
  html: string | null;
  /** The renderer version that made `html` (comments/markdown.ts#RENDER_VERSION). */
  html_version: number | null;
  /** 1 when `html` holds typeset math. */
  html_math: Generated<number>;
}

/** An account's choices about comments; no row means the defaults (reply mails on). */
export interface CommentSettingsTable {
  user_id: number;
  reply_mails: Generated<number>;
  updated_at: string;
}

/** The tables of migration 0012_collections_comments. */
export interface CollectionTables {
  collections: CollectionsTable;
  collection_papers: CollectionPapersTable;
  collection_references: CollectionReferencesTable;
  comments: CommentsTable;
  comment_settings: CommentSettingsTable;
}
