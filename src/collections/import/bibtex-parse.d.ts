/** Types of the parts of `bibtex-parse` (which ships none) that the BibTeX reader uses. */
declare module 'bibtex-parse' {
  /** A field's value as written: braced or quoted text, a number, a @string name, or a `#` concatenation. */
  export interface BibValue {
    value: string | number | bigint | BibValue[] | null;
    datatype: 'braced' | 'quoted' | 'number' | 'identifier' | 'concatinate' | 'null' | 'unenclosed';
    raw?: string;
  }
  /** One item of a parsed file. */
  export type BibItem =
    | { itemtype: 'entry'; type: string; key: string; fields: (BibValue & { name: string })[] }
    | ({ itemtype: 'string'; name: string } & BibValue)
    | ({ itemtype: 'preamble' } & BibValue)
    | { itemtype: 'comment'; comment: string };
  /** The file as a list of items, TeX left as written; throws (with `location`) on a syntax error. */
  export function parse(input: string, options?: { number?: 'auto' | 'number' | 'bigint' | 'string' }): BibItem[];
  const bibtexParse: { parse: typeof parse };
  export default bibtexParse;
}
