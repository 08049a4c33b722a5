/**
 * How search cuts text into words, shared by the query parser, both keyword indexes and the
 * matched-terms report: accents and case folded, every run of letters and digits one word.
 * `self-supervised`, `GPT-4` and `ViT-B/16` become several words that queries match as a phrase.
 */

/** Folds case and accents: `Naïve Schrödinger` -> `naive schrodinger`. */
export function fold(text: string): string {
  // Most text is ASCII, where there is nothing to decompose: lower-casing is all (and 10× cheaper).
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

const NON_ASCII = /[^\x00-\x7f]/;

/** The words of a text after folding: runs of letters and digits, everything else separates. */
export function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Text as the PostgreSQL index should see it: folded, with every non-word character a space, so its
 * parser makes the same words as SQLite's unicode61 tokenizer (it would otherwise keep `gpt-4` as
 * `gpt` and `-4`, and `/16` as a file path).
 */
export function indexText(text: string): string {
  return words(text).join(' ');
}

/**
 * English function words, dropped from unquoted queries: they carry no topic, and in long queries
 * (a sentence, a pasted abstract) they would make every paper match. Close to PostgreSQL's list, which
 * drops the same words from its index.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves s t'
  ).split(' '),
);

/**
 * A light suffix stripper for reporting which query words a paper contains (`models` ~ `model`,
 * `learning` ~ `learn`). The indexes stem properly; this only has to agree with them roughly.
 */
export function lightStem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ies', 'ers', 'ed', 'es', 'er', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length);
  }
  return word;
}
