/** The community signals of a paper as one line of text, for places that show text: the digest mail and feeds. */
import type { Paper } from '../papers/paper.ts';
import { voteCounts } from './votes.service.ts';

/** "▲ 15 (12 on Hugging Face · 3 here) · submitted by ada", shortened when one count is zero; undefined when there is nothing to say. */
export function communityLine(paper: Pick<Paper, 'upvotes' | 'localVotes' | 'submission'>): string | undefined {
  const v = voteCounts(paper);
  const votes =
    v.total === 0 ? undefined : v.local === 0 ? `▲ ${v.imported} on Hugging Face` : v.imported === 0 ? `▲ ${v.local} here` : `▲ ${v.total} (${v.imported} on Hugging Face · ${v.local} here)`;
  const parts = [votes, paper.submission && `submitted by ${paper.submission.by}`].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}
