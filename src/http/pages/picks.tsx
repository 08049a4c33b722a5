/** A day's community picks: the papers readers here submitted or upvoted, above the day's list (as Hugging Face's daily papers have them). */
import { voteCounts } from '../../community/votes.service.ts';
import type { Paper } from '../../papers/paper.ts';
import { paperUrl } from '../urls.ts';
import { authorSummary, formatCount } from './format.ts';
import { Markup } from './markup.ts';

/** The section; nothing when nobody picked anything. */
export function CommunityPicks({ papers }: { papers: Paper[] }) {
  if (papers.length === 0) return null;
  return (
    <section class="picks" aria-labelledby="picks-title">
      <h2 id="picks-title">Community picks</h2>
      <p class="muted">Submitted or upvoted by readers here since this listing.</p>
      <ol>
        {papers.map((p) => {
          const votes = voteCounts(p);
          return (
            <li>
              <a href={paperUrl(p)}>
                <Markup text={p.title} title />
              </a>
              <span class="muted">
                {' · '}
                <span class="upvotes" title={`${formatCount(votes.imported)} on Hugging Face · ${formatCount(votes.local)} here`}>
                  <span aria-hidden="true">▲</span> {formatCount(votes.total)}
                  <span class="sr-only"> upvotes</span>
                </span>
                {p.submission ? ` · submitted by ${p.submission.by}` : ` · ${authorSummary(p, 2)}`}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
