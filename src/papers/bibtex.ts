/** A BibTeX entry for a paper, for the "cite" box. */
import type { Paper } from './paper.ts';

// Braces and backslashes would end or escape a field early; everything else BibTeX reads as text.
const field = (value: string) => value.replace(/[{}\\]/g, '').replace(/\s+/g, ' ').trim();

/** The citation key: first author's family name, year, first real title word ("vaswani2017attention"). */
export function bibtexKey(paper: Pick<Paper, 'authors' | 'title' | 'arxivId' | 'announcedOn' | 'publishedAt' | 'id'>): string {
  const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  const family = paper.authors[0]?.name.trim().split(/\s+/).at(-1) ?? 'anonymous';
  const word = paper.title.split(/\s+/).map(ascii).find((w) => w.length > 3 && !['with', 'from', 'towards', 'this', 'that'].includes(w)) ?? 'paper';
  return `${ascii(family) || 'anonymous'}${year(paper) ?? ''}${word}`;
}

function year(paper: Pick<Paper, 'arxivId' | 'announcedOn' | 'publishedAt'>): string | undefined {
  const date = paper.publishedAt ?? paper.announcedOn;
  if (date) return date.slice(0, 4);
  // New-style arXiv ids start with the submission year and month (2401.01234).
  const m = paper.arxivId && /^(\d{2})\d{2}\./.exec(paper.arxivId);
  return m ? `20${m[1]}` : undefined;
}

/** The entry: @misc with the arXiv eprint fields when the paper has an id, @article with a DOI otherwise. */
export function bibtex(paper: Paper): string {
  const fields: [string, string | undefined][] = [
    ['title', `{${field(paper.title)}}`],
    ['author', paper.authors.length ? paper.authors.map((a) => field(a.name)).join(' and ') : undefined],
    ['year', year(paper)],
    ['eprint', paper.arxivId ?? undefined],
    ['archivePrefix', paper.arxivId ? 'arXiv' : undefined],
    ['primaryClass', paper.arxivId ? (paper.primaryCategory ?? undefined) : undefined],
    ['doi', paper.doi ?? undefined],
    ['journal', paper.journalRef ? field(paper.journalRef) : undefined],
    ['url', paper.arxivId ? `https://arxiv.org/abs/${paper.arxivId}` : (paper.links.abs ?? undefined)],
  ];
  const body = fields.filter(([, v]) => v).map(([k, v]) => `  ${k} = {${v}}`);
  return `@${paper.arxivId || !paper.journalRef ? 'misc' : 'article'}{${bibtexKey(paper)},\n${body.join(',\n')}\n}`;
}
