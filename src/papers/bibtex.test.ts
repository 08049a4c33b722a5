import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bibtex, bibtexKey } from './bibtex.ts';
import type { Paper } from './paper.ts';

const paper = (extra: Partial<Paper> = {}): Paper => ({
  id: 1, arxivId: '1706.03762', version: 7, doi: null, title: 'Attention Is All You Need', abstract: '', authors: [{ id: 1, name: 'Ashish Vaswani' }, { id: 2, name: 'Noam Shazeer' }],
  authorCount: null, categories: ['cs.CL'], primaryCategory: 'cs.CL', publishedAt: '2017-06-12T17:57:34Z', updatedAt: null, announcedOn: '2017-06-13',
  comment: null, journalRef: null, organization: null, upvotes: 0, hotness: 0, links: { abs: null, pdf: null, code: null, project: null }, provenance: {},
  ...extra,
});

/** Whether every brace of a BibTeX entry is matched, as BibTeX counts them (a backslash does not escape a brace for it). */
function balanced(entry: string): boolean {
  let depth = 0;
  for (const ch of entry) {
    depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth === 0;
}

test('BibTeX: a stable key, arXiv eprint fields, the title in double braces', () => {
  assert.equal(
    bibtex(paper()),
    '@misc{vaswani2017attention,\n  title = {{Attention Is All You Need}},\n  author = {Ashish Vaswani and Noam Shazeer},\n  year = {2017},\n  eprint = {1706.03762},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.CL},\n  url = {https://arxiv.org/abs/1706.03762}\n}',
  );
});

test('BibTeX keeps the LaTeX of a title exactly, and escapes only what would break LaTeX outside math', () => {
  const tex = bibtex(paper({ title: 'Di$\\mathtt{[M]}$O: {BERT} for $x_1$ \\& Co' }));
  assert.match(tex, /^ {2}title = \{\{Di\$\\mathtt\{\[M\]\}\$O: \{BERT\} for \$x_1\$ \\& Co\}\},$/m);
  assert.match(tex, /^@misc\{vaswani2017dimo,/);
  const plain = bibtex(paper({ title: 'Vision & Language: 30% better_than #1', authors: [{ id: 3, name: 'Ada & Co' }] }));
  assert.match(plain, /title = \{\{Vision \\& Language: 30\\% better\\_than \\#1\}\}/);
  assert.match(plain, /author = \{Ada \\& Co\}/);
});

test('BibTeX stays valid for hostile or broken braces: every brace matched, no field escapes its entry', () => {
  for (const title of ['A {broken title', 'a } b', 'Title}, note = {pwned', '}}}{{{', 'x \\}']) {
    const entry = bibtex(paper({ title, journalRef: 'J. {Odd', doi: '10.1/x}y' }));
    assert.ok(balanced(entry), entry);
    assert.equal(entry.match(/^ {2}\w+ = /gm)?.length, entry.split('\n').length - 2, entry);
    // A brace dropped from "\}" takes its backslash along, or LaTeX would escape the field's closing brace.
    assert.doesNotMatch(entry, /\\\}\}/, entry);
  }
  assert.match(bibtex(paper({ title: 'Title}, note = {pwned' })), /title = \{\{Title, note = pwned\}\}/);
  // DOIs and URLs are printed verbatim by the styles: braces balanced, nothing escaped.
  assert.match(bibtex(paper({ arxivId: null, doi: '10.1109/a_b%c', journalRef: 'J. Odd' })), /doi = \{10\.1109\/a_b%c\},/);
});

test('a paper without authors: no made-up author, the organization when there is one, a key from title and year', () => {
  const anonymous = bibtex(paper({ authors: [] }));
  assert.doesNotMatch(anonymous, /author|anonymous|unknown/i);
  assert.match(anonymous, /^@misc\{attention2017need,/);
  const byOrg = bibtex(paper({ authors: [], organization: { id: 1, name: 'Google DeepMind', slug: 'deepmind' } }));
  assert.match(byOrg, /^ {2}author = \{\{Google DeepMind\}\},$/m);
  assert.match(byOrg, /^@misc\{googledeepmind2017attention,/);
  // An undated paper without an arXiv id still gets a key and an entry.
  assert.equal(bibtexKey(paper({ authors: [], arxivId: null, publishedAt: null, announcedOn: null, title: '$\\alpha$-Nets' })), 'nets');
  // " and " inside one name would make BibTeX see two people.
  assert.match(bibtex(paper({ authors: [{ id: 4, name: 'Johnson and Johnson Research' }, { id: 5, name: 'Ada Lovelace' }] })), /author = \{\{Johnson and Johnson Research\} and Ada Lovelace\}/);
});

test('a collaboration of thousands is named up to 100, then "and others"', () => {
  const authors = Array.from({ length: 3302 }, (_, i) => ({ id: i, name: `Author Number${i}` }));
  const entry = bibtex(paper({ authors }));
  const field = /author = \{(.*)\},/.exec(entry)?.[1] ?? '';
  assert.equal(field.split(' and ').length, 101);
  assert.ok(field.endsWith(' and others'));
});
