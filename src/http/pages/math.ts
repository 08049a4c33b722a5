/**
 * Formulas typeset on the server with KaTeX, and the bounded cache that keeps typeset text: a day page
 * shows the same thirty titles to every reader, so each formula is typeset once, not once per request.
 */
import katex from 'katex';

const OPTIONS = {
  throwOnError: true,
  // No \href, \url, \includegraphics, \htmlClass...: imported TeX is untrusted. (A formula that is only a
  // link is made a link before it gets here, by papers/markup.ts, with the same http(s) rule as any link.)
  trust: false,
  strict: 'ignore' as const,
  maxSize: 20,
  maxExpand: 200,
  output: 'htmlAndMathml' as const,
};

/**
 * A least-recently-used map bounded by the total size of its values (string length, for HTML), so a few
 * huge abstracts cannot hold memory that thousands of titles should have.
 */
export class BoundedCache<V> {
  private entries = new Map<string, { value: V; size: number }>();
  private total = 0;
  constructor(
    private maxSize: number,
    private sizeOf: (value: V, key: string) => number,
  ) {}

  /** The cached value, or what `make` returns (then cached). */
  get(key: string, make: () => V): V {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-inserted: a Map iterates in insertion order, so the first entry is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = make();
    const size = this.sizeOf(value, key);
    if (size > this.maxSize / 2) return value; // one huge value would push out everything else
    this.entries.set(key, { value, size });
    this.total += size;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.maxSize) break;
      this.entries.delete(oldest);
      this.total -= entry.size;
    }
    return value;
  }
}

// About 16 MB of typeset formulas: a title's formula is 1–3 KB of HTML, so tens of thousands of them.
const formulas = new BoundedCache<string>(16_000_000, (html, key) => html.length + key.length);

/**
 * Two things arXiv abstracts write that KaTeX refuses: MathJax's `\unicode{x2013}`, and a bare `%` (in TeX a
 * comment that would swallow the rest of the formula, never what an abstract meant by `$\textbf{16.3%}$`).
 */
function forKatex(tex: string): string {
  return tex
    .replace(/\\unicode\{(?:x([0-9a-f]{1,6})|(\d{1,7}))\}/gi, (written, hex?: string, dec?: string) => {
      const point = hex ? parseInt(hex, 16) : Number(dec);
      return point >= 0x20 && point <= 0x10ffff && (point < 0xd800 || point > 0xdfff) ? String.fromCodePoint(point) : written;
    })
    .replace(/(?<!\\)%/g, '\\%');
}

/** KaTeX's HTML (with MathML for screen readers) for one formula, or undefined when KaTeX cannot parse it. */
export function typesetMath(tex: string, display: boolean): string | undefined {
  const html = formulas.get(`${display ? 'D' : 'I'}${tex}`, () => {
    try {
      return katex.renderToString(forKatex(tex), { ...OPTIONS, displayMode: display });
    } catch {
      return '';
    }
  });
  return html || undefined;
}
