/**
 * The `<head>` tags that let reference managers save a paper from its page: Highwire Press `citation_*`
 * tags, which Google Scholar indexes and Zotero's and Mendeley's browser connectors read, and the
 * OpenGraph article time. Values are attributes, so hono/jsx escapes them.
 */
import { latexToText } from '../../papers/latex-text.ts';
import type { Paper } from '../../papers/paper.ts';
import { siteUrl } from '../site.ts';
import { paperUrl, safeExternalUrl } from '../urls.ts';

/**
 * How many `citation_author` tags a page carries. Scholar wants every author, but a 3,302-name byline
 * would add 200 KB to the head of every visit; reference managers take the full list from the BibTeX
 * or from arXiv by `citation_arxiv_id`.
 */
export const CITATION_AUTHORS = 100;

/** `2025-07-01…` as Scholar's `2025/07/01`; undefined for a stored value that is no date. */
function scholarDate(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return m ? `${m[1]}/${m[2]}/${m[3]}` : undefined;
}

function isoInstant(value: string): string | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The citation and article tags of one paper. */
export function CitationTags({ paper }: { paper: Paper }) {
  // The first version's submission is the publication date arXiv itself gives; the listing day stands in.
  const date = paper.publishedAt ?? paper.announcedOn;
  const published = date ? scholarDate(date) : undefined;
  const pdf = safeExternalUrl(paper.links.pdf) ?? (paper.arxivId ? `https://arxiv.org/pdf/${paper.arxivId}` : undefined);
  const time = paper.publishedAt ? isoInstant(paper.publishedAt) : undefined;
  return (
    <>
      <meta name="citation_title" content={latexToText(paper.title)} />
      {paper.authors.slice(0, CITATION_AUTHORS).map((a) => (
        <meta name="citation_author" content={a.name} />
      ))}
      {published && <meta name="citation_publication_date" content={published} />}
      {paper.arxivId && <meta name="citation_arxiv_id" content={paper.arxivId} />}
      {paper.doi && <meta name="citation_doi" content={paper.doi} />}
      {pdf && <meta name="citation_pdf_url" content={pdf} />}
      <meta name="citation_abstract_html_url" content={siteUrl(paperUrl(paper))} />
      {paper.abstract && <meta name="citation_abstract" content={paper.abstract} />}
      {(time ?? paper.announcedOn) && <meta property="article:published_time" content={time ?? paper.announcedOn!} />}
    </>
  );
}
