/** Helpers that turn source values into the keys papers are deduplicated on. */

const NEW_ID = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_ID = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

/**
 * Splits an arXiv identifier in any common spelling (`2401.01234v2`, `arXiv:2401.01234`,
 * `https://arxiv.org/abs/hep-th/9901001v1`, `oai:arXiv.org:1401.2122`) into id and version.
 */
export function parseArxivId(raw: string): { id: string; version?: number } | undefined {
  const s = raw
    .trim()
    .replace(/^https?:\/\/(export\.)?arxiv\.org\/(abs|pdf)\//i, '')
    .replace(/\.pdf$/i, '')
    .replace(/^oai:arxiv\.org:/i, '')
    .replace(/^arxiv:/i, '');
  const m = NEW_ID.exec(s) ?? OLD_ID.exec(s);
  if (!m) return undefined;
  return m[2] ? { id: m[1], version: Number(m[2]) } : { id: m[1] };
}

/** Lower-cases a DOI and drops resolver prefixes, so `https://doi.org/10.1/X` equals `10.1/x`. */
export function normalizeDoi(raw: string): string | undefined {
  const s = raw.trim().replace(/^https?:\/\/(dx\.)?doi\.org\//i, '').replace(/^doi:\s*/i, '').toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(s) ? s : undefined;
}

/** Folds case, accents, punctuation and spacing: two spellings of one title give one key. */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Normalizes an author name for deduplication: accents, case, dots and spacing folded. */
export function normalizeAuthorName(name: string): string {
  return normalizeTitle(name);
}

// C0 controls except tab, newline and carriage return (whitespace, folded later), DEL, C1 controls, the
// bidirectional embeddings, overrides and isolates that can make text read differently than it is stored,
// a stray byte-order mark, and lone surrogate halves (which no encoder can write).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');

/** Removes control characters, so nothing that reaches a terminal, a mail or PostgreSQL carries them. */
export function stripControl(text: string): string {
  // Testing first keeps the common case (clean text) to one scan without allocating.
  return CONTROL.test(text) ? text.replace(CONTROL_ALL, '') : text;
}

/** Collapses arXiv-style hard wraps and runs of whitespace into single spaces; control characters go too. */
export function cleanText(text: string): string {
  // Only runs of 2+ spaces or non-space whitespace need rewriting; matching every single space was the cost.
  return stripControl(text).replace(/\s{2,}|[^\S ]/g, ' ').trim();
}

/**
 * arXiv's category names: an archive (`cs`, `hep-th`, `q-bio`, `cond-mat`) alone or with a subject class
 * (`cs.LG`, `q-bio.NC`, `cond-mat.mes-hall`). MSC and ACM classes (`68T07`, `I.2.7`) do not match.
 */
const ARXIV_CATEGORY = /^(?:[a-z]{2,10}|q-[a-z]{2,10}|[a-z]{2,10}-[a-z]{2,10})(?:\.(?:[A-Z]{2}|[a-z]{2,10}(?:-[a-z]{2,10})?))?$/;

/** Splits entries such as "cs.CV, cs.MM" and separates arXiv categories (kept, in order, once) from the rest. */
export function splitCategories(entries: string[]): { kept: string[]; dropped: string[] } {
  const kept = new Set<string>();
  const dropped: string[] = [];
  for (const entry of entries) {
    // Fast path: nearly every entry is already one category.
    const parts = ARXIV_CATEGORY.test(entry) ? [entry] : entry.split(/[\s,;]+/).filter(Boolean);
    for (const part of parts) {
      if (ARXIV_CATEGORY.test(part)) kept.add(part);
      else dropped.push(part);
    }
  }
  return { kept: [...kept], dropped: [...new Set(dropped)] };
}

/** A URL-safe slug: `HUAWEI Noah's Ark Lab` -> `huawei-noah-s-ark-lab`. */
export function slugify(text: string): string {
  return normalizeTitle(text).replace(/ /g, '-') || 'unnamed';
}
