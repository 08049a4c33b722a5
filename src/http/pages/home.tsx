/** The start page: the newest papers, a page at a time. */
import type { Paper } from '../../papers/paper.ts';
import type { NewestPage, StoreCounts } from '../papers.queries.ts';
import { PAGE_SIZE, homeUrl, paperUrl, safeExternalUrl } from '../urls.ts';
import { authorSummary, excerpt, formatCount } from './format.ts';
import { Layout } from './layout.tsx';
import { Day, ExternalLink, Upvotes } from './parts.tsx';

/** Renders one page of the newest-papers list, or the empty state when the store has no papers. */
export function homePage(view: NewestPage) {
  const { papers, page, pageCount, counts } = view;
  return (
    <Layout title={page > 1 ? `Newest papers, page ${page}` : undefined} section="newest" canonical={homeUrl(page)}>
      <h1 class="page-title">Newest papers</h1>
      {counts.papers === 0 ? (
        <EmptyStore />
      ) : (
        <>
          <Stats counts={counts} />
          <ol class="paper-list" start={(page - 1) * PAGE_SIZE + 1}>
            {papers.map((paper) => (
              <PaperItem paper={paper} />
            ))}
          </ol>
          <Pager page={page} pageCount={pageCount} />
        </>
      )}
    </Layout>
  );
}

function Stats({ counts }: { counts: StoreCounts }) {
  return (
    <p class="stats">
      {formatCount(counts.papers)} papers · {formatCount(counts.authors)} authors · {formatCount(counts.organizations)} organizations
      {counts.firstDay && counts.lastDay && (
        <>
          {' '}
          · listed <Day value={counts.firstDay} /> – <Day value={counts.lastDay} />
        </>
      )}
    </p>
  );
}

function PaperItem({ paper }: { paper: Paper }) {
  const authors = authorSummary(paper);
  const code = safeExternalUrl(paper.links.code);
  return (
    <li class="paper-item">
      <h2>
        <a href={paperUrl(paper)}>{paper.title}</a>
      </h2>
      {authors && <p class="authors">{authors}</p>}
      <ul class="meta">
        {paper.organization && <li>{paper.organization.name}</li>}
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
        <li>
          <Upvotes count={paper.upvotes} />
        </li>
        {code && (
          <li>
            <ExternalLink href={code}>Code</ExternalLink>
          </li>
        )}
      </ul>
      {paper.abstract && <p class="summary">{excerpt(paper.abstract)}</p>}
    </li>
  );
}

function Pager({ page, pageCount }: { page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? (
        <a href={homeUrl(page - 1)} rel="prev">
          ← Newer
        </a>
      ) : (
        <span class="spacer" />
      )}
      <span class="muted">
        Page {page} of {formatCount(pageCount)}
      </span>
      {page < pageCount ? (
        <a href={homeUrl(page + 1)} rel="next">
          Older →
        </a>
      ) : (
        <span class="spacer" />
      )}
    </nav>
  );
}

function EmptyStore() {
  return (
    <section class="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No papers yet</h2>
      <p>This Paperboy store is empty. Import a file of papers (arXiv metadata, Hugging Face Daily Papers or JSON Lines) with:</p>
      <pre>
        <code>npx paperboy import FILE</code>
      </pre>
      <p>Then reload this page.</p>
    </section>
  );
}
