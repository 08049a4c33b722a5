/**
 * How text becomes index terms, the same for the papers indexed and the queries searched (tokenize.ts
 * folds and splits; this module stems and adds compounds):
 * - content words (no stopwords), Porter-stemmed — the algorithm of FTS5's `porter` tokenizer, so both
 *   indexes match the same papers; agent nouns are also indexed as themselves (`agentNoun`), which ranks
 *   `transformer` papers above `transformation` ones without changing what matches;
 * - compounds: a hyphenated or slashed term is also indexed run together (`self-supervised` → also
 *   `selfsupervised`, `GPT-4` → `gpt4`, `ViT-B/16` → `vitb16`), so a query that writes it joined finds it;
 * - spaced compounds: 2–4 adjacent words that the store writes as a compound somewhere (`self supervised`,
 *   `state of the art`) are also indexed as `~` and the compound's stem, so a hyphenated query — which the
 *   full-text indexes read as the phrase or the joined word — is answered here without word positions.
 */
import { stemmer } from 'stemmer';
import { fold, STOPWORDS, words } from '../tokenize.ts';

const stems = new Map<string, string>();

/** The Porter stem of a folded word (cached: the same few hundred thousand words recur). */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (stems.size > 500_000) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/**
 * Verbs whose "-er" is part of the word (considered, discovering): not agent nouns.
 */
const ER_VERBS = ['consider', 'discover', 'recover', 'deliver', 'register', 'remember', 'encounter', 'administer', 'cover', 'empower'];

/** The prefix that marks an agent-noun term, so it never meets a stem of the same letters. */
export const AGENT = '^';

/**
 * The agent-noun term of a folded word, or undefined: Porter cuts a long "-er" noun to its verb —
 * transformer → transform (= transformation), encoder → encod (= encoding), optimizer → optim (=
 * optimization) — where this field means different things by them. The noun (plural folded) is indexed
 * beside the stem, and a query word that is such a noun prefers the papers that have it.
 */
export function agentNoun(word: string): string | undefined {
  const base = word.endsWith('ers') ? word.slice(0, -1) : word;
  if (base.length < 6 || !base.endsWith('er') || ER_VERBS.some((v) => base.endsWith(v))) return undefined;
  return stem(word).endsWith('er') ? undefined : AGENT + base;
}

/** The index terms of a text: content words, stemmed. */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) if (!STOPWORDS.has(w)) out.push(stem(w));
  return out;
}

/** The agent-noun terms of a text's words (see `agentNoun`): what a query prefers, what a field adds. */
export function agentTerms(ws: string[]): string[] {
  const out: string[] = [];
  for (const w of ws) {
    const noun = agentNoun(w);
    if (noun) out.push(noun);
  }
  return out;
}

/** Parts joined by hyphens (any of the Unicode dashes writers use) or slashes, without spaces around. */
export const COMPOUND = /[\p{L}\p{N}]+(?:[-\u2010\u2011\u2012\u2013/][\p{L}\p{N}]+)+/gu;
/** The longest compound indexed, in characters. */
export const MAX_COMPOUND = 40;

/** The run-together spellings of a text's hyphenated and slashed compounds (folded, not stemmed). */
export function compounds(text: string): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(COMPOUND)) {
    const joined = m[0].replace(/[^\p{L}\p{N}]/gu, '');
    if (joined.length <= MAX_COMPOUND) out.push(joined);
  }
  return out;
}

/**
 * Every term a field of a paper is indexed under: its words, its agent nouns, then its compounds run together, then (given
 * the store's compounds) the compounds it writes as adjacent words.
 */
export function fieldTerms(text: string, known?: KnownCompounds): string[] {
  const ws = words(text);
  const terms: string[] = [];
  for (const w of ws) if (!STOPWORDS.has(w)) terms.push(stem(w));
  terms.push(...agentTerms(ws));
  for (const c of compounds(text)) terms.push(stem(c));
  if (known) terms.push(...known.scan(ws));
  return terms;
}

/** The prefix of a spaced compound's term (a character no word has). */
export const SPACED = '~';

/** The longest compound, in words, looked for spelled apart. */
export const MAX_SPACED_WORDS = 4;

interface TrieNode {
  next?: Map<string, TrieNode>;
  /** Set where a known compound ends: its spaced term. */
  term?: string;
}

/**
 * The compounds a store writes (hyphenated or slashed, 2–4 words), kept as a trie of their words so that a
 * paper's text is scanned for them spelled apart at one map lookup per word.
 */
export class KnownCompounds {
  private readonly root = new Map<string, TrieNode>();
  /** Every compound's spaced term. */
  readonly terms = new Set<string>();

  /** Adds the compounds a text writes. */
  addFrom(text: string): void {
    for (const m of fold(text).matchAll(COMPOUND)) {
      const parts = m[0].split(/[^\p{L}\p{N}]+/u);
      if (parts.length > MAX_SPACED_WORDS || m[0].length > MAX_COMPOUND) continue;
      let level = this.root;
      let node: TrieNode | undefined;
      for (const part of parts) {
        node = level.get(part);
        if (!node) level.set(part, (node = {}));
        level = node.next ??= new Map();
      }
      if (node && !node.term) this.terms.add((node.term = SPACED + stem(parts.join(''))));
    }
  }

  /** The spaced terms of the known compounds that a text's words spell, adjacent, hyphenated or not: every occurrence. */
  scan(ws: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < ws.length - 1; i++) {
      let node = this.root.get(ws[i]);
      for (let k = i + 1; node?.next && k < ws.length && k < i + MAX_SPACED_WORDS; k++) {
        node = node.next.get(ws[k]);
        if (node?.term) out.push(node.term);
      }
    }
    return out;
  }
}

/**
 * The term-index clause of a query clause of several words (a hyphenated or slashed word as typed, or a
 * joined word split by spelling.ts): the compound run together, or spelled apart — what the full-text
 * indexes match as the joined word or the phrase. Undefined when it has more words than are looked for.
 */
export function compoundClause(clauseWords: string[]): string[] | undefined {
  if (clauseWords.length < 2 || clauseWords.length > MAX_SPACED_WORDS) return undefined;
  const joined = stem(clauseWords.join(''));
  return [joined, SPACED + joined];
}
