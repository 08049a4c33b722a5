/** A BibTeX entry for a paper, for the "cite" box. */
import { latexToText } from './latex-text.ts';
import type { Paper } from './paper.ts';

/**
 * A field value as BibTeX and then LaTeX read it. arXiv titles are TeX already, so the text is kept as
 * written, and only what would break the entry or the document changes: an unmatched brace (BibTeX would
 * end the field early or run into the next one; it counts `\{` as a brace too, so that one goes with its
 * backslash), a trailing backslash (it would escape the closing brace), and `& % #` anywhere or `_`
 * outside math, which LaTeX reads as commands in running text (not in a DOI or URL: styles print those
 * verbatim).
 */
function value(text: string, verbatim = false): string {
  const s = text.replace(/\s+/g, ' ').trim();
  const drop = new Set<number>();
  const open: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const escaped = s[i] === '\\' && (s[i + 1] === '{' || s[i + 1] === '}');
    const brace = escaped ? s[i + 1] : s[i];
    if (brace === '{') open.push(i);
    else if (brace === '}' && open.length) open.pop();
    else if (brace === '}') drop.add(i);
    if (escaped) i++;
    else if (s[i] === '\\') i++; // `\\` or `\&`: the next character is taken, not read
  }
  for (const i of open) drop.add(i);
  let out = '';
  let math = false;
  for (let i = 0; i < s.length; i++) {
    const unit = s[i] === '\\' ? s.slice(i, i + 2) : s[i];
    if (!drop.has(i)) {
      if (unit === '$') math = !math;
      out += !verbatim && (/^[&%#]$/.test(unit) || (unit === '_' && !math)) ? `\\${unit}` : unit;
    }
    i += unit.length - 1;
  }
  return out.replace(/(?<!\\)(\\\\)*\\$/, '$1').trim();
}

/** A name BibTeX must take as one person, not split at an " and " inside it. */
const person = (name: string) => (/\sand\s/i.test(name) ? `{${value(name)}}` : value(name));

const STOPWORDS = ['with', 'from', 'towards', 'this', 'that', 'when', 'your', 'what', 'into'];

/**
 * The citation key: first author's family name (or the organization), year, first real title word
 * ("vaswani2017attention"); without either, two title words around the year ("attention2017need").
 */
export function bibtexKey(paper: Pick<Paper, 'authors' | 'organization' | 'title' | 'arxivId' | 'announcedOn' | 'publishedAt'>): string {
  const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  const words = latexToText(paper.title).split(/\s+/).map(ascii).filter((w) => w.length > 3 && !STOPWORDS.includes(w));
  const who = ascii(paper.authors[0]?.name.trim().split(/\s+/).at(-1) ?? paper.organization?.name ?? '');
  const when = year(paper) ?? '';
  return who ? `${who}${when}${words[0] ?? 'paper'}` : `${words[0] ?? 'paper'}${when}${words[1] ?? ''}`;
}

function year(paper: Pick<Paper, 'arxivId' | 'announcedOn' | 'publishedAt'>): string | undefined {
  const date = paper.publishedAt ?? paper.announcedOn;
  if (date) return date.slice(0, 4);
  // New-style arXiv ids start with the submission year and month (2401.01234).
  const m = paper.arxivId && /^(\d{2})\d{2}\./.exec(paper.arxivId);
  return m ? `20${m[1]}` : undefined;
}

/** Authors named in an entry before "and others". */
export const MAX_BIBTEX_AUTHORS = 100;

/**
 * The entry: @misc with the arXiv eprint fields when the paper has an id, @article with a DOI otherwise.
 * A paper without authors names no one rather than "Unknown": its organization, in double braces so
 * BibTeX does not read "Google DeepMind" as first and last name, or no author field at all.
 */
export function bibtex(paper: Paper): string {
  // A collaboration's thousands of names end in BibTeX's own "and others" (styles print "et al."): the entry
  // stays a size a reference manager takes, and the full byline is on the paper's page.
  const named = paper.authors.slice(0, MAX_BIBTEX_AUTHORS).map((a) => person(a.name));
  if (paper.authors.length > MAX_BIBTEX_AUTHORS) named.push('others');
  const authors = named.length ? named.join(' and ') : paper.organization ? `{${value(paper.organization.name)}}` : undefined;
  const fields: [string, string | undefined][] = [
    // Double braces keep the title's capitals as written; BibTeX styles would lower-case them otherwise.
    ['title', `{${value(paper.title)}}`],
    ['author', authors],
    ['year', year(paper)],
    ['eprint', paper.arxivId ?? undefined],
    ['archivePrefix', paper.arxivId ? 'arXiv' : undefined],
    ['primaryClass', paper.arxivId ? (paper.primaryCategory ?? undefined) : undefined],
    ['doi', paper.doi ? value(paper.doi, true) : undefined],
    ['journal', paper.journalRef ? value(paper.journalRef) : undefined],
    ['url', paper.arxivId ? `https://arxiv.org/abs/${paper.arxivId}` : paper.links.abs ? value(paper.links.abs, true) : undefined],
  ];
  const body = fields.filter(([, v]) => v).map(([k, v]) => `  ${k} = {${v}}`);
  return `@${paper.arxivId || !paper.journalRef ? 'misc' : 'article'}{${bibtexKey(paper)},\n${body.join(',\n')}\n}`;
}
