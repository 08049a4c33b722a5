/** The search page rendered from a search's answer: counts, spelling suggestions, closest papers, notes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SearchListing } from '../../listings/listings.service.ts';
import type { Paper } from '../../papers/paper.ts';
import { searchPage } from './search.tsx';

const paper: Paper = {
  id: 7,
  arxivId: '2611.00007',
  version: 1,
  doi: null,
  title: 'Attention is all you need',
  abstract: 'A transformer.',
  authors: [{ id: 1, name: 'Ashish Vaswani' }],
  authorCount: 1,
  categories: ['cs.CL'],
  primaryCategory: 'cs.CL',
  publishedAt: null,
  updatedAt: null,
  announcedOn: '2026-11-20',
  comment: null,
  journalRef: null,
  organization: null,
  upvotes: 0,
  hotness: 0,
  links: { abs: null, pdf: null, code: null, project: null },
  provenance: {},
};

const answer = (over: Partial<SearchListing> = {}): SearchListing => ({
  papers: [paper],
  total: 1,
  totalAtLeast: false,
  page: 1,
  pageCount: 1,
  pageCountKnown: true,
  terms: ['transformer'],
  warnings: [],
  mode: 'keyword',
  partial: false,
  closest: false,
  noVectors: false,
  ...over,
});

const facets = { categories: [], organizations: [] };
const render = (q: string, results: SearchListing, page = 1) => searchPage({ search: { q }, query: { page }, results, facets, isNew: () => false }).toString();
const stats = (html: string) => /<p class="stats" role="status">(.*?)<\/p>/s.exec(html)?.[1].replace(/<[^>]+>/g, '');

test('counts: exact with thousands separators, "more than" beyond the counted bound, singular for one', () => {
  assert.equal(stats(render('transformer', answer({ total: 1284, pageCount: 43 }))), '1,284 papers match “transformer”');
  assert.equal(stats(render('transformer', answer({ total: 1 }))), '1 paper matches “transformer”');
  const many = render('transformer', answer({ total: 10_000, totalAtLeast: true, pageCount: 2, pageCountKnown: false, papers: Array(30).fill(paper) }));
  assert.equal(stats(many), 'More than 10,000 papers match “transformer”');
  // The number of pages is not known: a next page, but no page offered as the last.
  assert.match(many, /rel="next"/);
  assert.doesNotMatch(many, /the last/);
  assert.match(render('transformer', answer({ total: 1284, pageCount: 43 })), /aria-label="Page 43, the last"/);
});

test('a suggestion applied: says which query ran, and links the query as written', () => {
  const html = render('trasnformer', answer({ suggestion: { query: 'transformer', applied: true } }));
  assert.match(html, /Showing papers for <strong>“transformer”<\/strong>: no paper has “trasnformer”\./);
  assert.match(html, /<a href="\/search\?q=trasnformer&amp;literal=1">Search for “trasnformer” as written<\/a>/);
  assert.equal(stats(html), '1 paper matches “transformer”');
});

test('a suggestion not applied is offered as "Did you mean …?", keeping the filters', () => {
  const html = searchPage({ search: { q: 'transformr', mode: 'keyword' }, query: { page: 1, cat: ['cs.CL'] }, results: answer({ suggestion: { query: 'transformer', applied: false } }), facets, isNew: () => false }).toString();
  assert.match(html, /Did you mean <a href="\/search\?q=transformer&amp;mode=keyword&amp;cat=cs.CL">“transformer”<\/a>\?/);
});

test('closest papers are not called matches', () => {
  const html = render('zzqxv', answer({ closest: true, total: undefined, pageCountKnown: true }));
  assert.match(html, /No papers match “zzqxv”; the closest are:/);
  assert.doesNotMatch(html, /\d papers? match/);
  assert.match(html, /Attention is all you need/);
  assert.match(render('zzqxv', answer({ closest: true, papers: [], total: 0 })), /No papers match “zzqxv”/);
});

test('notes about the query are shown as notes, escaped', () => {
  const html = render('<b>venue:x</b>', answer({ warnings: ['<b>venue</b>: is not an operator'], papers: [], total: 0 }));
  assert.match(html, /<p class="notice" role="status">&lt;b&gt;venue&lt;\/b&gt;: is not an operator<\/p>/);
  assert.doesNotMatch(html, /<b>venue/);
});
