/** A fitted tf-idf vocabulary (migration 0013): the features every reader model of the store uses. */
export interface RecommendVocabulariesTable {
  /** vocabularyIdOf(vocabulary): a hash of its terms. */
  id: string;
  /** JSON {terms, idf, documents}. */
  body: string;
  papers: number;
  created_at: string;
}

/** One reader's trained model for one stream ('' = for you, 'collection:<id>'). */
export interface ReaderModelsTable {
  user_id: number;
  stream: string;
  vocabulary_id: string;
  /** What the signals looked like when it was trained; a different one means retrain. */
  fingerprint: string;
  body: string;
  trained_at: string;
}

/** What a reader told the recommender: never use or show this paper, author or term, or more like this paper. */
export type MuteKind = 'paper' | 'author' | 'term' | 'more';

/** One "don't use this paper / author / term". */
export interface RecommendMutesTable {
  user_id: number;
  kind: MuteKind;
  value: string;
  created_at: string;
}

/** A reader's recommendation settings. */
export interface RecommendSettingsTable {
  user_id: number;
  /** JSON array of category names picked at onboarding. */
  categories: string;
  feed_nonce: string;
  reset_at: string | null;
  updated_at: string;
}

/** The tables of migration 0013_recommendations. */
export interface RecommendTables {
  recommend_vocabularies: RecommendVocabulariesTable;
  reader_models: ReaderModelsTable;
  recommend_mutes: RecommendMutesTable;
  recommend_settings: RecommendSettingsTable;
}
