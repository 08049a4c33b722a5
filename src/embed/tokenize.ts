/**
 * Tokenizer for scientific titles and abstracts: lower-case, accents folded, URLs and LaTeX commands
 * dropped, hyphenated terms and numbers kept whole ("state-of-the-art", "gpt-4", "3d", "1.5").
 * Shared by the static embedder, its training script and the hashing test embedder.
 */
export function tokenize(text: string): string[] {
  const clean = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\\[a-z]+/g, ' ');
  return clean.match(TOKEN) ?? [];
}

// A word or number, optionally joined to more by hyphens or, between digits, a dot ("1.5", "gpt-4o").
const TOKEN = /[a-z0-9]+(?:(?:-|(?<=[0-9])\.(?=[0-9]))[a-z0-9]+)*/g;

/** The parts of a hyphenated token, used when the whole token has no vector ("graph-based" → graph, based). */
export function tokenParts(token: string): string[] {
  return token.includes('-') ? token.split('-').filter((p) => p.length > 0) : [token];
}

/**
 * The tokens of a text that a vocabulary knows: a hyphenated term unknown as a whole falls back to
 * its known parts, other unknown tokens are dropped.
 */
export function knownTokens(text: string, known: (token: string) => boolean): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (known(token)) out.push(token);
    else if (token.includes('-')) for (const part of tokenParts(token)) if (known(part)) out.push(part);
  }
  return out;
}
