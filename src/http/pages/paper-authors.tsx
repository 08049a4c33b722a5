/** A paper's byline: the first names, the rest behind a "+N more" that needs no script, and the page with every name. */
import { latexToText } from '../../papers/latex-text.ts';
import type { Paper } from '../../papers/paper.ts';
import { authorUrl, paperAuthorsUrl, paperUrl } from '../urls.ts';
import { authorSummary, formatCount } from './format.ts';
import { Layout } from './layout.tsx';

/** How many names a byline shows before its "+N more" (Hugging Face Papers shows about as many). */
export const BYLINE_SHOWN = 12;
/**
 * How many names a paper page holds at most. Past that the expander ends with a link to the full list:
 * the 3,302 names of arXiv 2507.06261 made a 202 KB page whose abstract began 31,000 px down on a phone.
 */
export const BYLINE_IN_PAGE = 300;

function Names({ authors }: { authors: Paper['authors'] }) {
  return (
    <>
      {authors.map((a, i) => (
        <>
          {i > 0 && ', '}
          <a href={authorUrl(a)}>{a.name}</a>
        </>
      ))}
    </>
  );
}

/** The byline of a paper page: every name reachable, the abstract never pushed far down. */
export function Byline({ paper }: { paper: Paper }) {
  const { authors } = paper;
  // A count stands in only when the source gave no names.
  if (authors.length === 0) {
    const summary = authorSummary(paper);
    return summary ? <p class="authors">{summary}</p> : null;
  }
  // Some sources list only the first authors but give the full count.
  const unnamed = (paper.authorCount ?? 0) - authors.length;
  const unnamedText = unnamed > 0 && ` and ${formatCount(unnamed)} more`;
  const hidden = authors.length - BYLINE_SHOWN;
  return (
    <div class="authors">
      <p>
        <Names authors={authors.slice(0, BYLINE_SHOWN)} />
        {hidden <= 0 && unnamedText}
      </p>
      {hidden > 0 && (
        <details class="more-authors">
          <summary>
            +{formatCount(hidden)} more<span class="sr-only"> authors</span>
          </summary>
          <p>
            <Names authors={authors.slice(BYLINE_SHOWN, BYLINE_IN_PAGE)} />
            {authors.length > BYLINE_IN_PAGE ? (
              <>
                {' … '}
                <a href={paperAuthorsUrl(paper)}>All {formatCount(authors.length)} authors</a>
              </>
            ) : (
              unnamedText
            )}
          </p>
        </details>
      )}
    </div>
  );
}

/** GET /papers/:ref/authors — every name of a byline, in order, each linked to the author's papers. */
export function paperAuthorsPage({ paper }: { paper: Paper }) {
  const count = `${formatCount(paper.authors.length)} ${paper.authors.length === 1 ? 'author' : 'authors'}`;
  return (
    <Layout title={`Authors of ${paper.title}`} description={`The ${count} of “${paper.title}”, in byline order.`} canonical={paperAuthorsUrl(paper)}>
      <article class="paper-authors">
        <p class="back">
          ← <a href={paperUrl(paper)}>{latexToText(paper.title)}</a>
        </p>
        <h1>{count}</h1>
        <ol class="author-list">
          {paper.authors.map((a) => (
            <li>
              <a href={authorUrl(a)}>{a.name}</a>
            </li>
          ))}
        </ol>
      </article>
    </Layout>
  );
}
