/** What the result of an import says about a reference that matched no paper, in words for the reader. */
import type { UnmatchedReason } from './import.service.ts';

/** One sentence per reason. */
export const UNMATCHED_WORDS: Record<UnmatchedReason, string> = {
  'no-keys': 'It has no arXiv id, DOI or title to look for.',
  'not-found': 'No paper here has its arXiv id, DOI or title.',
  'not-on-arxiv': 'arXiv has no paper with its id.',
  'arxiv-unavailable': 'arXiv could not be reached; import the file again later.',
  'fetch-limit': 'Only the first 100 unknown arXiv ids of a file are fetched; import the rest in another file.',
};
