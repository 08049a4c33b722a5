/**
 * One reference read from an imported file, as the matcher needs it: an arXiv id, a DOI and the keys its
 * title may be stored under. Every reader (BibTeX, RIS, CSL-JSON) builds its entries here, so the three
 * formats find identifiers the same way.
 */
import { latexToText } from '../../papers/latex-text.ts';
import { normalizeDoi, normalizeTitle, parseArxivId, stripControl } from '../../papers/normalize.ts';

/** A reference of an imported file. */
export interface ReferenceEntry {
  /** 1-based position in the file. */
  n: number;
  /** What the result page calls it: its title as text, else its citation key or id. */
  label: string;
  /** Without version. */
  arxivId?: string;
  /** Normalized (lower case, no resolver). */
  doi?: string;
  /** normalizeTitle keys the title may be stored under (as text first, then as TeX without braces). */
  titleKeys: string[];
  /** The title and abstract as plain text (when it has a title): what an unmatched entry is known by. */
  text?: { title: string; abstract: string };
}

/** The longest label kept (a title longer than this is no title). */
const MAX_LABEL = 500;
/** The longest abstract kept (arXiv's own limit is 1,920 characters; journals' are longer). */
export const MAX_ABSTRACT = 5_000;
// arxiv.org/abs/ID, arxiv.org/pdf/ID, arXiv:ID, and arXiv's own DOIs 10.48550/arXiv.ID.
const ARXIV_IN_TEXT = /(?:arxiv\.org\/(?:abs|pdf)\/|arxiv:\s*|10\.48550\/arxiv\.)([a-z-]+(?:\.[a-z]{2})?\/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?/i;

/** The arXiv id a text mentions (a link, `arXiv:2401.01234`, an arXiv DOI), if any. */
export function arxivIdIn(text: string | undefined): string | undefined {
  const m = text ? ARXIV_IN_TEXT.exec(text) : null;
  return m ? parseArxivId(m[1])?.id : undefined;
}

/** What a reader found for one reference, before clean-up. */
export interface FoundReference {
  n: number;
  /** A TeX title (BibTeX) or a plain one. */
  title?: string;
  /** Its abstract, TeX (BibTeX) or plain, if the file has one. */
  abstract?: string;
  tex?: boolean;
  /** A field that holds an arXiv id and nothing else (BibTeX `eprint`), if any. */
  arxivField?: string;
  doi?: string;
  /** Other values that may mention an arXiv id (URLs, notes, journal names). */
  mentions: (string | undefined)[];
  /** What to call a reference without a title. */
  fallbackLabel: string;
}

const clean = (text: string) => stripControl(text).replace(/\s+/g, ' ').trim();

/** The entry the matcher gets. */
export function referenceEntry(found: FoundReference): ReferenceEntry {
  const title = found.title ? clean(found.title).slice(0, MAX_LABEL * 2) : '';
  const text = title && found.tex ? clean(latexToText(title)).replace(/[{}]/g, '') : title;
  const keys = [normalizeTitle(text), normalizeTitle(title.replace(/[{}]/g, ''))].filter((k) => k.length > 0);
  const doi = found.doi ? normalizeDoi(found.doi) : undefined;
  const fromField = found.arxivField ? parseArxivId(found.arxivField.trim())?.id : undefined;
  const arxivId = fromField ?? arxivIdIn(doi) ?? found.mentions.map(arxivIdIn).find(Boolean);
  const abstract = found.abstract ? clean(found.tex ? latexToText(found.abstract.slice(0, MAX_ABSTRACT * 2)).replace(/[{}]/g, '') : found.abstract).slice(0, MAX_ABSTRACT) : '';
  const titleText = text.slice(0, MAX_LABEL);
  return {
    n: found.n,
    label: (titleText || clean(found.fallbackLabel) || `entry ${found.n}`).slice(0, MAX_LABEL),
    arxivId,
    doi,
    titleKeys: [...new Set(keys)],
    text: titleText && keys.length ? { title: titleText, abstract } : undefined,
  };
}
