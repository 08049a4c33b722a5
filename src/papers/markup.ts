/**
 * The TeX that arXiv titles and abstracts carry, read into a small tree: text, formulas (`$…$`, `$$…$$`,
 * `\(…\)`, `\[…\]`), styles (`\textbf`, `\emph`, `{\it …}`) and links (`\url`, `\href`, bare URLs).
 * Pages render the tree as HTML (http/pages/markup.ts), text-only places flatten it (latex-text.ts), so
 * both read TeX the same way. Anything not understood stays text as written; only http(s) links survive.
 */
import { httpUrl } from './links.ts';
import { ACCENTS, DROPPED, SPACES, SYMBOLS, TRANSPARENT } from './tex-symbols.ts';

/** The HTML elements markup can ask for. */
export type MarkupTag = 'b' | 'i' | 'em' | 'code' | 'u' | 'sup' | 'sub';

/** One piece of a parsed text. Text is already unescaped (`\%` is `%`); a formula keeps its TeX. */
export type MarkupNode =
  | { text: string }
  | { tex: string; display: boolean; source: string }
  | { tag: MarkupTag; children: MarkupNode[] }
  | { href: string; children: MarkupNode[] };

const TAGS: Record<string, MarkupTag> = { textbf: 'b', textit: 'i', textsl: 'i', emph: 'em', texttt: 'code', underline: 'u', uline: 'u', textsuperscript: 'sup', textsubscript: 'sub' };
// Declarations that style the rest of their group: `{\bf bold}`, `{\em stressed}`.
const DECLARATIONS: Record<string, MarkupTag> = { bf: 'b', bfseries: 'b', it: 'i', itshape: 'i', sl: 'i', em: 'em', tt: 'code', ttfamily: 'code' };

// `\$` is a dollar, never a delimiter. Neither pattern can run past the next `$`, so trying one at every
// dollar stays linear.
const DISPLAY = /\$\$((?:\\.|[^$\\])+?)\$\$/y;
const INLINE = /(?<!\\)\$((?:\\.|[^$\\\n])+?)\$/y;

/**
 * Whether `$…$` around `tex`, followed by `next`, is a formula. As in pandoc, it starts and ends with a
 * non-space and no digit follows, so "costs $5 or $10" stays text; but TeX with a command in it is a
 * formula however it is spaced (`$\textit{near} $`, `($\times$4)`), as arXiv's own MathJax reads it.
 */
function isInlineMath(tex: string, next: string | undefined): boolean {
  return /\\[A-Za-z]/.test(tex) || (/^\S/.test(tex) && /\S$/.test(tex) && !/\d/.test(next ?? ''));
}

// TeX lets one line break (not a blank line) stand between a command and its argument.
const SPACE = /[ \t]*\n?[ \t]*/y;
// Characters that may start something other than plain text.
const PLAIN = /[^$\\{`'~hH]+/y;
const BARE_URL = /https?:\/\/[^\s<>"'`{}\\^|]+/iy;
// Deeper nesting than this is no real title or abstract; past it the rest is kept as written.
const MAX_DEPTH = 12;

/** Parses a title, an abstract or a paragraph of one. */
export function parseMarkup(source: string): MarkupNode[] {
  return new Parser(source).parse(0, source.length, 0);
}

/** Whether the tree holds a formula to typeset. */
export function hasFormula(nodes: MarkupNode[]): boolean {
  return nodes.some((n) => 'tex' in n || ('children' in n && hasFormula(n.children)));
}

/**
 * Where each `{…}` group of a text ends: `(start, limit)` gives the index after the brace closing the one at
 * `start`, or -1 when there is none before `limit`. Matched once for the whole text, so that many unclosed
 * groups cost no more than one.
 */
export function groupEnds(s: string): (start: number, limit?: number) => number {
  const ends = new Int32Array(s.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '{') open.push(i);
    else if (s[i] === '}' && open.length) ends[open.pop()!] = i + 1;
  }
  return (start, limit = s.length) => (s[start] === '{' && ends[start] !== -1 && ends[start] <= limit ? ends[start] : -1);
}

/** A command name at `start` (just after its backslash): a run of letters, or one other character. */
export function commandName(s: string, start: number): string {
  return /^[A-Za-z]+/.exec(s.slice(start, start + 40))?.[0] ?? s.slice(start, start + 1);
}

/** A URL as written in `\url{}` or `\href{}{}`, with the TeX escapes authors put in it (`\_`, `\%`, `\#`) undone. */
const unescapeUrl = (written: string) => written.trim().replace(/\\([_%#&~$])/g, '$1');

/** The target of `\url{}` or `\href{}{}`, if it is http(s); `github.com/x` counts as https. */
function linkTarget(written: string): string | undefined {
  const url = unescapeUrl(written);
  return httpUrl(url) ?? (/^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/\S*)?$/i.test(url) ? httpUrl(`https://${url}`) : undefined);
}

class Parser {
  // Where the next `\)` / `\]` is, so an unclosed `\(` repeated 10,000 times is not searched for 10,000 times.
  private closers = new Map<string, number>();
  private groupEnd: (start: number, limit?: number) => number;
  constructor(private s: string) {
    this.groupEnd = groupEnds(s);
  }

  parse(from: number, to: number, depth: number): MarkupNode[] {
    const { s } = this;
    const out: MarkupNode[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push({ text });
      text = '';
    };
    const push = (...nodes: MarkupNode[]) => {
      flush();
      out.push(...nodes);
    };
    let i = from;
    let url: string | undefined;
    while (i < to) {
      // Most of an abstract is plain text: take it a run at a time, not a character at a time.
      PLAIN.lastIndex = i;
      const run = PLAIN.exec(s)?.[0].length ?? 0;
      if (run > 0) {
        text += s.slice(i, Math.min(i + run, to));
        i += run;
        continue;
      }
      const c = s[i];
      const math = c === '$' || (c === '\\' && (s[i + 1] === '(' || s[i + 1] === '[')) ? this.formula(i, to) : undefined;
      if (math) {
        push(...math.nodes);
        i = math.end;
      } else if (c === '\\') {
        const cmd = this.command(i, to, depth);
        if (typeof cmd.out === 'string') text += cmd.out;
        else push(...cmd.out);
        i = cmd.end;
      } else if (c === '{' && s[i + 1] === '\\' && depth < MAX_DEPTH && this.groupEnd(i, to) > 0) {
        // A group opened by a command (`{\bf x}`, `{\"o}`) is TeX grouping, not braces in the text.
        const end = this.groupEnd(i, to);
        const name = commandName(s, i + 2);
        const tag = DECLARATIONS[name];
        SPACE.lastIndex = i + 2 + name.length;
        const body = SPACE.lastIndex + SPACE.exec(s)![0].length;
        push(...(tag ? [{ tag, children: this.parse(body, end - 1, depth + 1) }] : this.parse(i + 1, end - 1, depth + 1)));
        i = end;
      } else if (c === '{' && s[i + 1] === '}') {
        i += 2; // `\ours{}`: an empty group only ends a command name
      } else if ((c === '`' && s[i + 1] === '`') || (c === "'" && s[i + 1] === "'")) {
        text += c === '`' ? '“' : '”';
        i += 2;
      } else if (c === '~' && s[i + 1] === '\\') {
        text += ' ';
        i++;
      } else if ((c === 'h' || c === 'H') && (url = this.bareUrl(i, to))) {
        push({ href: url, children: [{ text: url }] });
        i += url.length;
      } else {
        text += c;
        i++;
      }
    }
    flush();
    return out;
  }

  /** A bare http(s) URL at `i`, without the punctuation that ends a sentence or an unmatched closing bracket. */
  private bareUrl(i: number, to: number): string | undefined {
    if (this.s.slice(i, i + 4).toLowerCase() !== 'http' || /[\p{L}\p{N}]/u.test(this.s[i - 1] ?? '')) return undefined;
    BARE_URL.lastIndex = i;
    let url = BARE_URL.exec(this.s)?.[0].slice(0, to - i) ?? '';
    for (let previous = ''; url !== previous; ) {
      previous = url;
      url = url.replace(/[.,;:!?*]+$/, '');
      const close = url.at(-1);
      const open = close === ')' ? '(' : close === ']' ? '[' : undefined;
      // "(see https://x.org/a)" ends before the bracket; "https://en.wikipedia.org/wiki/A_(b)" keeps its own.
      if (open && url.split(open).length < url.split(close!).length) url = url.slice(0, -1);
    }
    return url ? httpUrl(url) : undefined;
  }

  /** A formula starting at `i`; a whole formula that is only `\href{…}{…}` or `\url{…}` is a link (arXiv authors write `$\href…$`). */
  private formula(i: number, to: number): { nodes: MarkupNode[]; end: number } | undefined {
    const { s } = this;
    let tex: string | undefined;
    let display = false;
    let end = i;
    if (s[i] === '\\') {
      const close = s[i + 1] === '(' ? '\\)' : '\\]';
      let at = this.closers.get(close);
      if (at === undefined || (at !== -1 && at < i + 2)) this.closers.set(close, (at = s.indexOf(close, i + 2)));
      if (at === -1 || at + 2 > to) return undefined;
      tex = s.slice(i + 2, at);
      display = close === '\\]';
      end = at + 2;
    } else {
      for (const [pattern, isDisplay] of [[DISPLAY, true], [INLINE, false]] as const) {
        pattern.lastIndex = i;
        const m = pattern.exec(s);
        if (m && m.index + m[0].length <= to && (isDisplay || isInlineMath(m[1], s[i + m[0].length]))) {
          [tex, display, end] = [m[1], isDisplay, i + m[0].length];
          break;
        }
      }
    }
    if (tex === undefined || !tex.trim()) return undefined;
    if (/^\s*\\(?:href|url)\s*\{/.test(tex)) {
      const inner = new Parser(tex.trim()).parse(0, tex.trim().length, MAX_DEPTH - 2);
      if (inner.length === 1 && 'href' in inner[0]) return { nodes: inner, end };
    }
    return { nodes: [{ tex: tex.trim(), display, source: s.slice(i, end) }], end };
  }

  /** The command at `i` (a backslash): what it stands for, as text or nodes, and where it ends. */
  private command(i: number, to: number, depth: number): { out: string | MarkupNode[]; end: number } {
    const { s } = this;
    const name = commandName(s, i + 1);
    let end = i + 1 + name.length;
    const raw = { out: s.slice(i, end), end };
    if (name === '') return { out: '\\', end };
    if ('%&_#${}'.includes(name)) return { out: name, end };
    const arg = () => {
      SPACE.lastIndex = end;
      const start = end + SPACE.exec(s)![0].length;
      const close = this.groupEnd(start, to);
      if (close < 0) return undefined;
      end = close;
      return [start + 1, close - 1] as const;
    };
    const accent = ACCENTS.get(name);
    if (accent) {
      const a = arg();
      const letter = a ? s.slice(...a) : /^[A-Za-z]$/.test(name) ? s.slice(end, end + 8).match(/^\s*(\S)/)?.[1] : s[end];
      if (!letter) return raw;
      if (!a) end = s.indexOf(letter, end) + letter.length;
      return { out: (letter.replace(/^\\i$/, 'ı') + accent).normalize('NFC'), end };
    }
    const argCommand = name in TAGS || TRANSPARENT.has(name) || DROPPED.has(name) || ['url', 'href', 'textcolor', 'footnote'].includes(name);
    if (argCommand) {
      if (depth >= MAX_DEPTH) return raw;
      const first = arg();
      if (!first) return raw;
      const written = s.slice(...first);
      if (DROPPED.has(name)) return { out: '', end };
      if (name === 'url') {
        const href = linkTarget(written);
        return { out: href ? [{ href, children: [{ text: unescapeUrl(written) }] }] : written, end };
      }
      if (name === 'href' || name === 'textcolor') {
        const second = arg();
        if (!second) return { out: s.slice(i, end), end };
        const children = this.parse(second[0], second[1], depth + 1);
        const href = name === 'href' ? linkTarget(written) : undefined;
        return { out: href ? [{ href, children }] : children, end };
      }
      const children = this.parse(first[0], first[1], depth + 1);
      if (name === 'footnote') return { out: [{ text: ' (' }, ...children, { text: ')' }], end };
      return { out: name in TAGS ? [{ tag: TAGS[name], children }] : children, end };
    }
    const symbol = SYMBOLS.get(name) ?? SPACES.get(name);
    return symbol !== undefined ? { out: symbol, end } : raw;
  }
}
