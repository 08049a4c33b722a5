/** A paper's own page: everything stored about it, the abstract with its math typeset, a citation, similar papers. */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { periodOf } from '../../listings/period.ts';
import { bibtex } from '../../papers/bibtex.ts';
import type { Paper } from '../../papers/paper.ts';
import { assetUrl } from '../assets/assets.ts';
import { doiUrl, orgUrl, paperUrl, periodUrl, safeExternalUrl } from '../urls.ts';
import { authorSummary, excerpt, formatDay, isoDay, paragraphs, sourcesSummary } from './format.ts';
import { Layout } from './layout.tsx';
import { Markup, hasTypesetMath, markupHtml, titlesHaveMath } from './markup.ts';
import { Byline } from './paper-authors.tsx';
import { CitationTags } from './paper-meta.tsx';
import { Day, ExternalLink } from './parts.tsx';
import { FollowButton, PaperActions, SubmittedBy, voteBreakdown } from './community-parts.tsx';
import { voteCounts } from '../../community/votes.service.ts';
import { CollectControl } from './collect-slot.tsx';
import type { Thread } from '../../comments/comments.service.ts';
import { CommentsSection } from './comments.tsx';

/** What a paper page shows besides the paper. */
export interface PaperView {
  paper: Paper;
  similar: Paper[];
  isNew: boolean;
  /** The paper's comment threads (issue 9); absent: no comments section. */
  thread?: Thread;
}

/** Whether the page will contain typeset math, in its title, abstract or similar papers (it then needs KaTeX's stylesheet and inline style attributes). */
export function paperHasMath({ paper, similar }: Pick<PaperView, 'paper' | 'similar'>): boolean {
  return hasTypesetMath(paper.abstract) || titlesHaveMath([paper, ...similar]);
}

/** Renders the page of one paper. */
export function paperPage({ paper, similar, isNew, thread }: PaperView) {
  const math = paperHasMath({ paper, similar }) || thread?.math === true;
  return (
    <Layout
      title={paper.title}
      description={excerpt(paper.abstract, 160)}
      canonical={paperUrl(paper)}
      ogType="article"
      head={
        <>
          <CitationTags paper={paper} />
          {math && <link rel="stylesheet" href={assetUrl('katex.css')} />}
          {thread && <link rel="stylesheet" href={assetUrl('people.css')} />}
        </>
      }
    >
      <article class="paper">
        <ul class="meta">
          {paper.arxivId && (
            <li>
              arXiv:{paper.arxivId}
              {paper.version ? `v${paper.version}` : ''}
            </li>
          )}
          <VersionNote paper={paper} />
          {paper.primaryCategory && (
            <li>
              <span class="chip">{paper.primaryCategory}</span> <FollowButton target={{ category: paper.primaryCategory }} />
            </li>
          )}
          <li class="vote-breakdown" data-paper={String(paper.id)}>
            {voteBreakdown(voteCounts(paper))}
          </li>
          <SubmittedBy paper={paper} />
          {paper.announcedOn && (
            <li>
              Listed <a href={periodUrl(periodOf('day', paper.announcedOn))}>{formatDay(paper.announcedOn)}</a>
              {isNew && <span class="badge">New</span>}
            </li>
          )}
        </ul>
        <h1>
          <Markup text={paper.title} title />
        </h1>
        <Byline paper={paper} />
        {paper.organization && (
          <p class="org">
            <a href={orgUrl(paper.organization)}>{paper.organization.name}</a>
          </p>
        )}
        <Links paper={paper} />
        <PaperActions paper={paper} />
        <CollectControl paperId={paper.id} />
        <section class="abstract" aria-labelledby="abstract-title">
          <h2 id="abstract-title">Abstract</h2>
          {/* markupHtml escapes all text itself and adds only KaTeX's markup, styles and http(s) links. */}
          {paper.abstract ? paragraphs(paper.abstract).map((p) => <p>{raw(markupHtml(p))}</p>) : <p class="muted">No abstract is known for this paper.</p>}
        </section>
        <Cite paper={paper} />
        <Details paper={paper} />
        <Sources paper={paper} />
      </article>
      <Similar papers={similar} />
      {thread && <CommentsSection paper={paper} thread={thread} />}
    </Layout>
  );
}

/** "Updated to v3 on …" for a revised paper, "Withdrawn in v3 on …" for a withdrawn one (dates read through formatDay). */
function VersionNote({ paper }: { paper: Paper }) {
  const updated = paper.updatedAt;
  const when = updated && <time datetime={isoDay(updated)}>{formatDay(updated)}</time>;
  if (paper.withdrawn) {
    return (
      <li>
        <strong class="withdrawn">Withdrawn</strong>
        {paper.version ? ` in v${paper.version}` : ''}
        {when && <> on {when}</>}
      </li>
    );
  }
  if (!updated) return null;
  if (paper.version && paper.version > 1) return <li>Updated to v{paper.version} on {when}</li>;
  // A source that numbers no versions (OAI-PMH's arXiv format) still dates the latest one.
  if (!paper.version && paper.publishedAt && isoDay(updated) > isoDay(paper.publishedAt)) return <li>Updated on {when}</li>;
  return null;
}

function Cite({ paper }: { paper: Paper }) {
  return (
    <section class="cite" aria-labelledby="cite-title">
      <div class="cite-head">
        <h2 id="cite-title">Cite</h2>
        {/* Hidden until app.js runs (it copies on plain HTTP too); without it the text below can be selected by hand. */}
        <button type="button" data-copy="bibtex" data-status="cite-status" hidden>
          Copy BibTeX
        </button>
      </div>
      <pre id="bibtex" tabindex={0} aria-label="BibTeX entry">
        {bibtex(paper)}
      </pre>
      <p id="cite-status" class="muted" role="status" aria-live="polite"></p>
    </section>
  );
}

function Similar({ papers }: { papers: Paper[] }) {
  if (papers.length === 0) return null;
  return (
    <section class="similar" aria-labelledby="similar-title">
      <h2 id="similar-title">Similar papers</h2>
      <ul>
        {papers.map((p) => (
          <li>
            <a href={paperUrl(p)}>
              <Markup text={p.title} title />
            </a>
            <span class="muted">
              {[authorSummary(p, 2), p.announcedOn && formatDay(p.announcedOn)].filter(Boolean).map((part) => ` · ${part}`)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Links({ paper }: { paper: Paper }) {
  const links: [string | null, string][] = [
    [paper.links.abs, 'arXiv'],
    [paper.links.pdf, 'PDF'],
    [paper.links.code, 'Code'],
    [paper.links.project, 'Project page'],
  ];
  const shown = links.filter(([href]) => safeExternalUrl(href) !== undefined);
  return (
    <ul class="links" aria-label="Links">
      {shown.map(([href, label]) => (
        <li>
          <ExternalLink href={href}>{label}</ExternalLink>
        </li>
      ))}
      {/* app.js copies this page's address as the reader reached it (a LAN address stays a LAN address). */}
      <li class="copy-link" hidden>
        <button type="button" data-copy-link={paperUrl(paper)} data-status="link-status">
          Copy link
        </button>
        <span id="link-status" class="copy-status" role="status" aria-live="polite"></span>
      </li>
    </ul>
  );
}

function Details({ paper }: { paper: Paper }) {
  return (
    <section class="details" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <dl>
        {paper.publishedAt && <Row term="Published"><Day value={paper.publishedAt} /></Row>}
        {paper.updatedAt && paper.updatedAt !== paper.publishedAt && <Row term="Updated"><Day value={paper.updatedAt} /></Row>}
        {paper.announcedOn && <Row term="Listed"><Day value={paper.announcedOn} /></Row>}
        {paper.categories.length > 0 && <Row term="Categories">{paper.categories.join(', ')}</Row>}
        {paper.comment && <Row term="Comment">{paper.comment}</Row>}
        {paper.journalRef && <Row term="Journal ref">{paper.journalRef}</Row>}
        {paper.doi && (
          <Row term="DOI">
            <ExternalLink href={doiUrl(paper.doi)}>{paper.doi}</ExternalLink>
          </Row>
        )}
      </dl>
    </section>
  );
}

function Row({ term, children }: { term: string; children?: Child }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Sources({ paper }: { paper: Paper }) {
  const sources = sourcesSummary(paper.provenance);
  if (sources.length === 0) return null;
  // Which field came from where only matters once there is more than one source to tell apart.
  const text = sources.length === 1 ? sources[0].label : sources.map((s) => `${s.label} (${s.fields.join(', ')})`).join(' · ');
  return <p class="sources">Sources: {text}</p>;
}
