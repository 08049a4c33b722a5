/** A paper's own page: everything stored about it, the abstract as plain text. */
import type { Child } from 'hono/jsx';
import type { Paper } from '../../papers/paper.ts';
import { doiUrl, paperUrl, safeExternalUrl } from '../urls.ts';
import { authorSummary, excerpt, paragraphs, sourcesSummary } from './format.ts';
import { Layout } from './layout.tsx';
import { Day, ExternalLink, Upvotes } from './parts.tsx';

/** Renders the page of one paper. */
export function paperPage(paper: Paper) {
  return (
    <Layout title={paper.title} description={excerpt(paper.abstract, 160)} canonical={paperUrl(paper)}>
      <article class="paper">
        <ul class="meta">
          {paper.arxivId && (
            <li>
              arXiv:{paper.arxivId}
              {paper.version ? `v${paper.version}` : ''}
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
        </ul>
        <h1>{paper.title}</h1>
        <Authors paper={paper} />
        {paper.organization && <p class="org">{paper.organization.name}</p>}
        <Links paper={paper} />
        <section class="abstract" aria-labelledby="abstract-title">
          <h2 id="abstract-title">Abstract</h2>
          {paper.abstract ? paragraphs(paper.abstract).map((p) => <p>{p}</p>) : <p class="muted">No abstract is known for this paper.</p>}
        </section>
        <Details paper={paper} />
        <Sources paper={paper} />
      </article>
    </Layout>
  );
}

function Authors({ paper }: { paper: Paper }) {
  // Every name, in byline order; a count stands in only when the source gave no names.
  if (paper.authors.length === 0) {
    const summary = authorSummary(paper);
    return summary ? <p class="authors">{summary}</p> : null;
  }
  // Some sources list only the first authors but give the full count.
  const unnamed = (paper.authorCount ?? 0) - paper.authors.length;
  const names = paper.authors.map((a) => a.name).join(', ');
  return <p class="authors">{unnamed > 0 ? `${names} and ${unnamed} more` : names}</p>;
}

function Links({ paper }: { paper: Paper }) {
  const links: [string | null, string][] = [
    [paper.links.abs, 'arXiv'],
    [paper.links.pdf, 'PDF'],
    [paper.links.code, 'Code'],
    [paper.links.project, 'Project page'],
  ];
  const shown = links.filter(([href]) => safeExternalUrl(href) !== undefined);
  if (shown.length === 0) return null;
  return (
    <ul class="links" aria-label="Links">
      {shown.map(([href, label]) => (
        <li>
          <ExternalLink href={href}>{label}</ExternalLink>
        </li>
      ))}
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
