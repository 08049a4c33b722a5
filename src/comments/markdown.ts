/**
 * Comment Markdown as HTML, on the server: markdown-it with raw HTML refused (`html: false`: `<script>` is
 * text), no images (nothing is loaded from elsewhere), links only to http(s) and mailto, every link
 * `rel="nofollow noopener noreferrer ugc"`; formulas in `$…$`, `$$…$$`, `\(…\)` and `\[…\]` typeset by the
 * KaTeX the paper pages use (pages/math.ts: trust off, so `\href{javascript:…}` and `\htmlClass` are inert
 * text). The result then goes through sanitize-html with a narrow allowlist — a second wall should a
 * markdown-it rule ever let something through — and only after it are the typeset formulas put in, in
 * place of placeholders the sanitizer kept: KaTeX's own markup (inline styles, MathML) never has to be
 * allowed to user text.
 */
import MarkdownIt, { type StateInline } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../http/pages/escape.ts';
import { BoundedCache, typesetMath } from '../http/pages/math.ts';

/**
 * The renderer's version, stored with each comment's HTML: raise it with any change to what the HTML may hold
 * (rules, sanitizer, KaTeX options), and comments rendered before are rendered again when shown.
 */
export const RENDER_VERSION = 2;

/** Formulas typeset per comment at most; the rest stay as written. */
export const MAX_FORMULAS = 30;
/**
 * Characters of typeset math per comment at most (KaTeX's markup is some 50 times its source): past it the
 * formulas stay as written. It bounds what a page of many comments weighs and costs to send.
 */
export const MAX_MATH_HTML = 40_000;
/** Characters of one formula at most (KaTeX's own limits bound the work further). */
const MAX_TEX = 2_000;
const LINK_REL = 'nofollow noopener noreferrer ugc';
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

interface Formula {
  tex: string;
  display: boolean;
  source: string;
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false, maxNesting: 20 });
md.disable(['image', 'heading', 'lheading', 'html_block', 'html_inline']);
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

/** `$…$` / `$$…$$` at the current position: a formula token, or nothing. */
function dollarMath(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  let pos = state.pos;
  if (src.charCodeAt(pos) !== 0x24 /* $ */) return false;
  const display = src.charCodeAt(pos + 1) === 0x24;
  const marker = display ? '$$' : '$';
  const start = pos + marker.length;
  // `$ 5 and $ 6` is money, not math: an inline formula starts and ends with a non-space.
  if (!display && /\s/.test(src[start] ?? ' ')) return false;
  let end = start;
  for (;;) {
    end = src.indexOf(marker, end);
    if (end < 0) return false;
    if (src[end - 1] === '\\') {
      end += 1;
      continue;
    }
    break;
  }
  if (end === start || end - start > MAX_TEX) return false;
  if (!display && (/\s/.test(src[end - 1]) || /\d/.test(src[end + 1] ?? ''))) return false;
  if (!silent) push(state, src.slice(start, end), display, src.slice(pos, end + marker.length));
  pos = end + marker.length;
  state.pos = pos;
  return true;
}

/** `\(…\)` and `\[…\]`, which must be seen before the escape rule reads `\(` as a literal parenthesis. */
function bracketMath(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  if (src.charCodeAt(state.pos) !== 0x5c /* \ */) return false;
  const open = src[state.pos + 1];
  if (open !== '(' && open !== '[') return false;
  const close = open === '(' ? '\\)' : '\\]';
  const start = state.pos + 2;
  const end = src.indexOf(close, start);
  if (end < 0 || end === start || end - start > MAX_TEX) return false;
  if (!silent) push(state, src.slice(start, end), open === '[', src.slice(state.pos, end + 2));
  state.pos = end + 2;
  return true;
}

function push(state: StateInline, tex: string, display: boolean, source: string): void {
  const token = state.push('math', 'span', 0);
  token.content = tex;
  token.meta = { display, source };
}

md.inline.ruler.before('escape', 'math_bracket', bracketMath);
md.inline.ruler.after('escape', 'math_dollar', dollarMath);
md.renderer.rules.math = (tokens, idx, _options, env) => {
  const { formulas } = env as { formulas: Formula[] };
  const t = tokens[idx];
  const meta = t.meta as { display: boolean; source: string };
  formulas.push({ tex: t.content, display: meta.display, source: meta.source });
  return `<span class="pb-math" data-i="${formulas.length - 1}"></span>`;
};
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('rel', LINK_REL);
  return defaultLinkOpen(tokens, idx, options, env, self);
};

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'], code: ['class'], span: ['class', 'data-i'] },
  allowedClasses: { code: [/^language-[A-Za-z0-9_-]{1,30}$/], span: ['pb-math'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Whatever gets here that is not allowed is shown as text, never silently turned into something else.
  disallowedTagsMode: 'escape',
  transformTags: { a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: LINK_REL } }) },
};

const PLACEHOLDER = /<span class="pb-math" data-i="(\d+)"><\/span>/g;

/** A comment's Markdown rendered. */
export interface RenderedComment {
  /** Safe to insert as it is. */
  html: string;
  /** Whether it holds typeset math (the page then needs KaTeX's stylesheet and inline styles). */
  math: boolean;
}

function render(source: string): RenderedComment {
  const env = { formulas: [] as Formula[] };
  const clean = sanitizeHtml(md.render(source, env), SANITIZE);
  let math = false;
  let budget = MAX_MATH_HTML;
  const html = clean.replace(PLACEHOLDER, (_, i: string) => {
    const f = env.formulas[Number(i)];
    if (!f) return '';
    if (Number(i) >= MAX_FORMULAS || budget <= 0) return escapeHtml(f.source);
    const typeset = typesetMath(f.tex, f.display);
    if (!typeset) return `<code class="math-error">${escapeHtml(f.source)}</code>`;
    if (typeset.length > budget) {
      budget = 0;
      return escapeHtml(f.source);
    }
    budget -= typeset.length;
    math = true;
    return typeset;
  });
  return { html, math };
}

// Comments are shown to many readers and re-rendered on every cache miss of their page: typeset once.
const rendered = new BoundedCache<RenderedComment>(8_000_000, (r, key) => r.html.length + key.length);

/** The HTML of a comment's Markdown (cached by source). */
export function renderCommentMarkdown(source: string): RenderedComment {
  return rendered.get(source, () => render(source));
}
