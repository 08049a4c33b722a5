/**
 * TeX as readable Unicode text, for the places that can only show text: the browser tab, feed titles and
 * summaries, the digest mail, the CLI. `GSBAK$^K$: $top$-$K$` reads "GSBAKᴷ: top-K", `$\mathcal{O}(n^2)$`
 * "𝒪(n²)", `\textbf{12\%}` "12%". What has no Unicode form is spelled out (`x_{ij+1}` "x_(ij+1)"), and a
 * command it does not know is kept as written rather than guessed at.
 */
import { commandName, groupEnds, parseMarkup, type MarkupNode } from './markup.ts';
import { ACCENTS, ALPHABETS, DROPPED, SPACES, SUBSCRIPTS, SUPERSCRIPTS, SYMBOLS, TRANSPARENT } from './tex-symbols.ts';

/** A title or abstract as plain text: formulas as Unicode, markup unwrapped, links as their text. */
export function latexToText(source: string): string {
  if (!/[$\\{~]|``|''/.test(source)) return source;
  return nodesText(parseMarkup(source));
}

function nodesText(nodes: MarkupNode[]): string {
  return nodes.map((n) => ('text' in n ? n.text : 'tex' in n ? mathToText(n.tex) : nodesText(n.children))).join('');
}

// Commands whose argument is read as text, not math, even inside a formula.
const TEXT_MODE = new Set(['text', 'textrm', 'textnormal', 'textup', 'textsf', 'textsc', 'textit', 'textsl', 'textbf', 'texttt', 'emph', 'mbox', 'hbox']);
const FRACTIONS = new Set(['frac', 'tfrac', 'dfrac', 'cfrac', 'binom', 'tbinom', 'dbinom', 'overset', 'underset', 'stackrel']);
const MAX_DEPTH = 12;

/** One formula's TeX (without its dollars) as Unicode text. */
export function mathToText(tex: string): string {
  return new MathReader(tex).read(0, tex.length, 0);
}

/** A sub- or superscript: in Unicode's small forms when every character has one, else `^x` or `^(…)`. */
function script(text: string, forms: ReadonlyMap<string, string>, mark: string): string {
  const chars = [...text];
  if (chars.every((c) => forms.has(c))) return chars.map((c) => forms.get(c)).join('');
  return mark + (/^[A-Za-z0-9]+$/.test(text) || chars.length === 1 ? text : `(${text})`);
}

/** Parentheses around a fraction's part when it is more than one term (`(a+b)/2`, not `a+b/2`). */
const term = (text: string) => (/[\s+\-−×·/=<>±,]/.test(text) ? `(${text})` : text);

/** Spaces as a reader expects them: single, none inside brackets, none at the ends. */
const tidy = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .replace(/([([{⟨⌈⌊]) /g, '$1')
    .replace(/ ([)\]}⟩⌉⌋,])/g, '$1')
    .trim();

class MathReader {
  private groupEnd: (start: number, limit?: number) => number;
  constructor(private s: string) {
    this.groupEnd = groupEnds(s);
  }

  read(from: number, to: number, depth: number): string {
    let out = '';
    for (let i = from; i < to; ) {
      const [text, end] = this.atom(i, to, depth);
      out += text;
      i = end;
    }
    return tidy(out);
  }

  /** The text of one atom at `i` (a character, a group, a command with its arguments) and where it ends. */
  private atom(i: number, to: number, depth: number): [string, number] {
    const { s } = this;
    const c = s[i];
    if (c === '{') {
      const end = this.groupEnd(i, to);
      if (end < 0 || depth >= MAX_DEPTH) return ['', i + 1];
      return [this.read(i + 1, end - 1, depth + 1), end];
    }
    if ((c === '^' || c === '_') && depth < MAX_DEPTH) {
      let start = i + 1;
      while (s[start] === ' ') start++;
      if (start >= to) return [c, to];
      const [text, end] = this.atom(start, to, depth + 1);
      return [c === '^' ? script(text, SUPERSCRIPTS, '^') : script(text, SUBSCRIPTS, '_'), end];
    }
    if (c === '\\') return this.command(i, to, depth);
    if (c === '}') return ['', i + 1];
    if (c === '~' || c === '&') return [' ', i + 1];
    if (c === "'") return ['′', i + 1];
    const point = String.fromCodePoint(s.codePointAt(i)!);
    return [point, i + point.length];
  }

  /** The `{…}` argument at `i` (after spaces), or a single atom as TeX allows (`\frac12`). */
  private arg(i: number, to: number, depth: number): { text: string; source: string; end: number } {
    let start = i;
    while (this.s[start] === ' ') start++;
    if (start >= to) return { text: '', source: '', end: to };
    const [text, end] = this.atom(start, to, depth + 1);
    const source = this.s[start] === '{' ? this.s.slice(start + 1, end - 1) : this.s.slice(start, end);
    return { text, source, end };
  }

  private command(i: number, to: number, depth: number): [string, number] {
    const { s } = this;
    const name = commandName(s, i + 1);
    let end = i + 1 + name.length;
    if (s[end] === '*') end++; // \operatorname*, \mathop* and friends: same text
    if (depth >= MAX_DEPTH) return [s.slice(i, end), end];
    const arg = () => {
      const a = this.arg(end, to, depth);
      end = a.end;
      return a;
    };
    if ('{}%&_#$'.includes(name) && name) return [name, end];
    const alphabet = ALPHABETS.get(name);
    if (alphabet) return [[...arg().text].map(alphabet).join(''), end];
    if (TEXT_MODE.has(name)) return [latexToText(arg().source), end];
    if (TRANSPARENT.has(name)) return [arg().text, end];
    if (DROPPED.has(name)) return (arg(), ['', end]);
    if (FRACTIONS.has(name)) {
      const [a, b] = [arg().text, arg().text];
      if (name.endsWith('binom')) return [`(${a} choose ${b})`, end];
      return [name.endsWith('set') || name === 'stackrel' ? b : `${term(a)}/${term(b)}`, end];
    }
    if (name === 'sqrt') {
      const close = s[end] === '[' ? s.indexOf(']', end) : -1;
      const index = close > end && close < to ? this.read(end + 1, close, depth + 1) : '';
      if (index) end = close + 1;
      const root = index === '3' ? '∛' : index === '4' ? '∜' : index ? `${script(index, SUPERSCRIPTS, '')}√` : '√';
      return [root + term(arg().text), end];
    }
    if (name === 'textcolor' || name === 'colorbox') return (arg(), [arg().text, end]);
    if (name === 'pmod') return [` (mod ${arg().text})`, end];
    if (name === 'not') {
      const next = arg().text;
      return [next === '=' ? '≠' : next === '∈' ? '∉' : `${next}\u0338`.normalize('NFC'), end];
    }
    if (name === 'unicode') {
      const code = /^x([0-9a-f]{1,6})$|^(\d{1,7})$/i.exec(arg().source.trim());
      const point = code ? parseInt(code[1] ?? code[2], code[1] ? 16 : 10) : NaN;
      return [point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : '', end];
    }
    if (name === 'xrightarrow' || name === 'xleftarrow') return (arg(), [name === 'xrightarrow' ? '→' : '←', end]);
    if (['mkern', 'mskip', 'kern', 'hskip'].includes(name)) return ['', end + (/^\s*-?[\d.]*\s*[a-z]{2}/.exec(s.slice(end, end + 12))?.[0].length ?? 0)];
    if (name === 'left' || name === 'right') return ['', s[end] === '.' ? end + 1 : end];
    const accent = ACCENTS.get(name);
    if (accent) {
      const text = arg().text;
      return [[...text].length === 1 ? (text + accent).normalize('NFC') : text, end];
    }
    const symbol = SYMBOLS.get(name) ?? SPACES.get(name);
    return symbol !== undefined ? [symbol, end] : [s.slice(i, end), end];
  }
}
