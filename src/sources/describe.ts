/** How a source is named to people and which remote host it talks to. */
import type { SourceKind } from '../db/schema.sources.ts';
import type { Endpoints } from './harvest.ts';

/** A source as people read it: "arXiv cs.LG", "Hugging Face daily papers", "feed www.nature.com/nature.rss". */
export function sourceLabel(source: { kind: SourceKind; target: string }): string {
  if (source.kind === 'arxiv') return `arXiv ${source.target}`;
  if (source.kind === 'hf-daily') return 'Hugging Face daily papers';
  return `feed ${source.target.replace(/^https?:\/\//, '')}`;
}

/** The host a source's requests go to: what its lease and its request spacing are per. */
export function hostOf(source: { kind: SourceKind; target: string }, endpoints: Endpoints): string {
  const url = source.kind === 'arxiv' ? endpoints.arxivOai : source.kind === 'hf-daily' ? endpoints.hfApi : source.target;
  return new URL(url).host;
}
