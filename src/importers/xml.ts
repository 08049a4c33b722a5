/** XML helpers shared by the arXiv Atom and OAI-PMH parsers (fast-xml-parser underneath). */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cleanText } from '../papers/normalize.ts';
import { FormatError } from './types.ts';

/** A parsed XML element as fast-xml-parser gives it: attributes under `@_`, text under `#text`. */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // arXiv declares namespaces on <feed> in one format and on each element in the other; dropping
  // prefixes lets one lookup (`primary_category`, `totalResults`) serve both.
  removeNSPrefix: true,
  // Ids such as 1401.2122 must stay strings, not become numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  captureMetaData: true,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/**
 * Parses a whole XML document, or throws FormatError naming the file and the line where it broke.
 * Validation runs first because the parser alone accepts truncated input and half-builds a tree.
 */
export function loadXml(xml: string, file: string): XmlNode {
  const text = xml.replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('<')) {
    throw new FormatError(file, `not XML (starts with ${JSON.stringify(text.trimStart().slice(0, 20))})`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line } = valid.err;
    // At the end of the input the validator lists the elements still open and blames line 1; a file cut
    // off mid-download is better reported where it really ends.
    const open = /^Invalid '(\[[\s\S]*\])' found\.?$/.exec(msg);
    const stack = open ? parseOpenTags(open[1]) : undefined;
    if (stack?.length) {
      const lastLine = text.split('\n').length;
      throw new FormatError(file, `truncated XML: the file ends at line ${lastLine} inside <${stack.at(-1)}> (still open: ${stack.join(' > ')})`);
    }
    throw new FormatError(file, `invalid or truncated XML at line ${line}: ${msg}`);
  }
  try {
    return parser.parse(text) as XmlNode;
  } catch (err) {
    // The parser has its own limits (nesting depth, entities) past what the validator checks.
    throw new FormatError(file, `cannot read the XML: ${(err as Error).message}`);
  }
}

function parseOpenTags(list: string): string[] | undefined {
  try {
    const tags: unknown = JSON.parse(list);
    return Array.isArray(tags) && tags.every((t) => typeof t === 'string') ? tags : undefined;
  } catch {
    return undefined;
  }
}

/** The text of an element, whether it came back as a plain string or as `{ '#text', '@_attr' }`. */
export function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === 'object' && '#text' in node) return textOf((node as XmlNode)['#text']);
  return undefined;
}

/** Cleaned text of an element, or undefined when it is absent or blank. */
export function cleanOf(node: unknown): string | undefined {
  const t = textOf(node);
  return t === undefined ? undefined : cleanText(t) || undefined;
}

/** An element that may occur once or many times, always as an array (the parser collapses singletons). */
export function listOf(node: unknown): unknown[] {
  if (node === undefined || node === null) return [];
  return Array.isArray(node) ? node : [node];
}

/** An attribute of an element, if the element is an object and has it. */
export function attrOf(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

/** A function giving a parsed node's 1-based line in `xml`; cheapest when asked in document order. */
export function lineCounter(xml: string): (node: unknown) => number | undefined {
  // Nodes arrive in document order, so counting newlines incrementally keeps this linear.
  let pos = 0;
  let line = 1;
  return (node) => {
    if (!node || typeof node !== 'object') return undefined;
    const start = (node as Record<symbol, { startIndex?: number } | undefined>)[META]?.startIndex;
    if (start === undefined) return undefined;
    if (start < pos) {
      pos = 0;
      line = 1;
    }
    for (; pos < start; pos++) if (xml.charCodeAt(pos) === 10) line++;
    return line;
  };
}

/**
 * An ISO timestamp in UTC (`2015-01-21T02:41:55Z`), a bare date kept as is, or — when unreadable — the
 * text itself, so the record schema refuses the record naming the value rather than it losing its date.
 */
export function isoTimestamp(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? s : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A record without its undefined keys, so equality checks and hashes see only what the source said. */
export function dropUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
