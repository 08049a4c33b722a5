/**
 * Reference files people import into a collection: BibTeX, RIS or CSL-JSON, told apart by their content
 * (a file name's extension is often wrong: Zotero saves CSL-JSON as .json, some tools RIS as .txt). Pure:
 * text in, entries out. Limits are checked here, before any matching, so a huge file costs nothing.
 */
import { readBibtex } from './bibtex.ts';
import { CslItemError, readCslJson } from './csl-json.ts';
import type { ReferenceEntry } from './entry.ts';
import { readRis } from './ris.ts';

export type { ReferenceEntry } from './entry.ts';

/** The formats an import reads. */
export type ReferenceFormat = 'bibtex' | 'ris' | 'csl-json';

/** How large an import may be. */
export const IMPORT_LIMITS = {
  /** 1 MiB: about 2,000 BibTeX entries with abstracts. */
  bytes: 1024 * 1024,
  entries: 500,
};

/** A file that cannot be imported at all; the message is for the reader. */
export class ReferenceFileError extends Error {}

/** What a file held. */
export interface ParsedReferences {
  format: ReferenceFormat;
  entries: ReferenceEntry[];
  /** Parts that could not be read (a broken BibTeX entry), each with where it is. */
  problems: string[];
}

/** Which format a text is in, by its content. */
export function detectFormat(text: string): ReferenceFormat | undefined {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[') || start.startsWith('{')) return 'csl-json';
  if (/^TY {2}- /m.test(text)) return 'ris';
  if (/^[ \t]*@\s*[A-Za-z]+\s*[{(]/m.test(text)) return 'bibtex';
  return undefined;
}

/** Reads a reference file; throws ReferenceFileError when it is too large, of no known format, or unreadable as a whole. */
export function parseReferences(text: string, name = 'the file'): ParsedReferences {
  if (Buffer.byteLength(text) > IMPORT_LIMITS.bytes) throw new ReferenceFileError(`${name} is larger than 1 MB: at most 1 MB can be imported at once.`);
  const format = detectFormat(text);
  if (!format) throw new ReferenceFileError(`${name} is not a BibTeX, RIS or CSL-JSON file.`);
  let read: Omit<ParsedReferences, 'format'>;
  if (format === 'csl-json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new ReferenceFileError(`${name} is not valid JSON (${(err as Error).message.slice(0, 120)}).`);
    }
    if (Array.isArray(doc) && doc.length > IMPORT_LIMITS.entries) throw tooMany(name, doc.length);
    try {
      read = readCslJson(doc);
    } catch (err) {
      if (err instanceof CslItemError) throw new ReferenceFileError(`${name} is not CSL-JSON: ${err.message}.`);
      throw err;
    }
  } else {
    read = format === 'ris' ? readRis(text) : readBibtex(text);
  }
  if (read.entries.length > IMPORT_LIMITS.entries) throw tooMany(name, read.entries.length);
  return { format, ...read };
}

function tooMany(name: string, n: number): ReferenceFileError {
  return new ReferenceFileError(`${name} has ${n} entries; at most ${IMPORT_LIMITS.entries} entries can be imported at once.`);
}
