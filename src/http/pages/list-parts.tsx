/** Pieces of every paper list: an item, the list, numbered pages, the empty box (the filter controls are in filter-parts.tsx). */
import type { Child } from 'hono/jsx';
import type { Paper } from '../../papers/paper.ts';
import { assetUrl } from '../assets/assets.ts';
import { authorUrl, orgUrl, paperUrl, safeExternalUrl } from '../urls.ts';
import { formatCount } from './format.ts';
import { Highlight } from './highlight.tsx';
import { abstractExcerpt, Markup, titlesHaveMath } from './markup.ts';
import { Day, ExternalLink } from './parts.tsx';
import { PaperActions, SubmittedBy } from './community-parts.tsx';
import { CollectControl } from './collect-slot.tsx';

/** The first authors as links to their pages, then "et al." or a count when that is all that is known. */
export function AuthorLinks({ paper, shown = 4 }: { paper: Pick<Paper, 'authors' | 'authorCount'>; shown?: number }) {
  const total = Math.max(paper.authors.length, paper.authorCount ?? 0);
  if (paper.authors.length === 0) return total > 0 ? <>{`${total} ${total === 1 ? 'author' : 'authors'}`}</> : null;
  const head = paper.authors.slice(0, shown);
  return (
    <>
      {head.map((a, i) => (
        <>
          {i > 0 && ', '}
          <a href={authorUrl(a)}>{a.name}</a>
        </>
      ))}
      {total > head.length && ' et al.'}
    </>
  );
}

/** What one list item shows besides the paper: the "new" badge and the words to highlight. */
export interface ItemOptions {
  isNew?: (paper: Paper) => boolean;
  terms?: string[];
}

/** One paper in a list. */
export function PaperItem({ paper, options = {}, children }: { paper: Paper; options?: ItemOptions; children?: Child }) {
  const code = safeExternalUrl(paper.links.code);
  return (
    <li class="paper-item" id={`paper-${paper.id}`}>
      <h2>
        <a href={paperUrl(paper)}>
          <Markup text={paper.title} terms={options.terms} title />
        </a>
        {options.isNew?.(paper) && <span class="badge">New</span>}
      </h2>
      <p class="authors">
        <AuthorLinks paper={paper} />
      </p>
      <ul class="meta">
        {paper.organization && (
          <li>
            <a href={orgUrl(paper.organization)}>{paper.organization.name}</a>
          </li>
        )}
        {paper.announcedOn && (
          <li>
            <Day value={paper.announcedOn} />
          </li>
        )}
        {paper.primaryCategory && (
          <li>
            <span class="chip">{paper.primaryCategory}</span>
          </li>
        )}
        {code && (
          <li>
            <ExternalLink href={code}>Code</ExternalLink>
          </li>
        )}
        <SubmittedBy paper={paper} />
      </ul>
      {paper.abstract && (
        <p class="summary">
          {/* As text: a two-line excerpt would cut formulas, and text reads well enough at that size. */}
          <Highlight text={abstractExcerpt(paper.abstract)} terms={options.terms} />
        </p>
      )}
      {/* The vote count for everyone; the reader's vote and reading buttons once signed in (a user slot). */}
      <PaperActions paper={paper} />
      {/* The reader's "Save to collection" menu (a user slot; nothing for signed-out readers). */}
      <CollectControl paperId={paper.id} />
      {/* What a page adds to its items (a collection's note and its owner's tools). */}
      {children}
    </li>
  );
}

/**
 * A numbered list of papers; numbering continues across pages. Typeset titles bring KaTeX's stylesheet
 * along (a stylesheet link may stand in the body), so every page with a list gets it only when it needs it;
 * its route allows KaTeX's inline styles by the same test (`titlesHaveMath`).
 */
export function PaperList({ papers, start, options }: { papers: Paper[]; start: number; options?: ItemOptions }) {
  return (
    <>
      {titlesHaveMath(papers) && <link rel="stylesheet" href={assetUrl('katex.css')} />}
      <ol class="paper-list" start={start}>
        {papers.map((paper) => (
          <PaperItem paper={paper} options={options} />
        ))}
      </ol>
    </>
  );
}

/** The page numbers worth showing: the first, the last, and two either side of the current one. */
export function pageWindow(page: number, pageCount: number): (number | '…')[] {
  const pages: (number | '…')[] = [];
  for (let p = 1; p <= pageCount; p++) {
    if (p === 1 || p === pageCount || Math.abs(p - page) <= 2) pages.push(p);
    else if (pages.at(-1) !== '…') pages.push('…');
  }
  return pages;
}

/**
 * Previous/next and numbered page links. When `known` is false, `pageCount` is only how far the pages are
 * known to go (a search beyond its counting bound): no page is offered as the last.
 */
export function Pager({ page, pageCount, href, known = true }: { page: number; pageCount: number; href: (page: number) => string; known?: boolean }) {
  if (pageCount <= 1) return null;
  const label = (p: number) => `Page ${p}${p === page ? ', current' : ''}${known && p === pageCount ? ', the last' : ''}`;
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          ← Previous
        </a>
      ) : (
        <span class="spacer" />
      )}
      <ol class="pages">
        {pageWindow(page, pageCount).map((p) =>
          p === '…' ? (
            <li class="gap" aria-hidden="true">…</li>
          ) : (
            <li>
              <a href={href(p)} aria-current={p === page ? 'page' : undefined} aria-label={label(p)}>
                {formatCount(p)}
              </a>
            </li>
          ),
        )}
        {!known && (
          <li class="gap" aria-hidden="true">
            …
          </li>
        )}
      </ol>
      {page < pageCount ? (
        <a href={href(page + 1)} rel="next">
          Next →
        </a>
      ) : (
        <span class="spacer" />
      )}
    </nav>
  );
}

/** A boxed message for a list with nothing in it. */
export function EmptyList({ title, children }: { title: string; children?: Child }) {
  return (
    <section class="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">{title}</h2>
      {children}
    </section>
  );
}
