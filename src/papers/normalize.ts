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

/** Collapses arXiv-style hard wraps and runs of whitespace into single spaces. */
export function cleanText(text: string): string {
  // Only runs of 2+ spaces or non-space whitespace need rewriting; matching every single space was the cost.
  return text.replace(/\s{2,}|[^\S ]/g, ' ').trim();
}

/** A URL-safe slug: `HUAWEI Noah's Ark Lab` -> `huawei-noah-s-ark-lab`. */
export function slugify(text: string): string {
  return normalizeTitle(text).replace(/ /g, '-') || 'unnamed';
}
