import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { parseQuery, queryFilter } from '../search/query.ts';
import { checkFilterLimits, FilterLimitError, mergeFilters, type PaperFilter } from './paper-filter.ts';
import { countFilteredPapers, filteredPaperIds, idsPassing } from './paper-filter.repo.ts';
import { type FilterCorpusKey, loadFilterCorpus } from './testing.ts';

describeEachDatabase('paper filter', (open) => {
  let db: Db;
  let ids: Record<FilterCorpusKey, number>;
  let nameOf: (id: number) => FilterCorpusKey;
  before(async () => {
    db = await open();
    ({ ids, nameOf } = await loadFilterCorpus(db));
  });
  after(async () => db?.close());

  const names = async (f: PaperFilter) => (await filteredPaperIds(db, f, 'newest', 100)).map(nameOf).sort();

  test('a category matches in any case; a value without a dot is its whole archive', async () => {
    assert.deepEqual(await names({ categories: ['cs.lg'] }), ['cl', 'lg', 'stat']);
    assert.deepEqual(await names({ categories: ['CS.LG'] }), ['cl', 'lg', 'stat']);
    assert.deepEqual(await names({ categories: ['cs'] }), ['cl', 'cv', 'lg', 'stat']);
    assert.deepEqual(await names({ categories: ['physics'] }), ['optics']);
    assert.deepEqual(await names({ categories: ['hep-th'] }), ['hep']);
    assert.deepEqual(await names({ categories: ['math.ca'] }), ['math']);
    assert.deepEqual(await names({ categories: ['cs.L'] }), [], 'a prefix of a category is not the category');
    assert.deepEqual(await names({ categories: ['c'] }), [], 'nor of an archive');
    assert.deepEqual(await names({ categories: ['cs.CV', 'q-bio'] }), ['cv', 'lg', 'old'], 'any of several values');
  });

  test('excluded categories and archives remove every paper carrying one', async () => {
    assert.deepEqual(await names({ excludeCategories: ['cs'] }), ['hep', 'math', 'old', 'optics']);
    assert.deepEqual(await names({ categories: ['cs'], excludeCategories: ['cs.lg'] }), ['cv']);
  });

  test('an organization matches by slug or by name, in any case', async () => {
    for (const v of ['meta', 'META', 'Meta AI', 'meta ai']) assert.deepEqual(await names({ organizations: [v] }), ['lg', 'stat'], v);
    assert.deepEqual(await names({ organizations: ['openai', 'meta'] }), ['cl', 'lg', 'stat']);
    assert.deepEqual(await names({ excludeOrganizations: ['Meta AI'] }), ['cl', 'cv', 'hep', 'math', 'old', 'optics'], 'papers without an organization stay');
  });

  test('an author matches by full name or surname, folded; never by part of a word', async () => {
    assert.deepEqual(await names({ authors: ['Yann LeCun'] }), ['lg', 'old']);
    assert.deepEqual(await names({ authors: ['lecun'] }), ['lg', 'old'], '"Lecun Smith" has Lecun as a first name');
    assert.deepEqual(await names({ authors: ['van gool'] }), ['cv'], 'a surname of two words');
    assert.deepEqual(await names({ authors: ['Gool'] }), ['cv']);
    assert.deepEqual(await names({ authors: ['garcia'] }), ['optics'], 'accents folded');
    assert.deepEqual(await names({ authors: ['cun'] }), []);
    assert.deepEqual(await names({ authors: ['borel', 'witten'] }), ['hep', 'math']);
    assert.deepEqual(await names({ excludeAuthors: ['lecun'] }), ['cl', 'cv', 'hep', 'math', 'optics', 'stat']);
  });

  test('listing-day ranges are inclusive; ids, author ids and organization ids restrict', async () => {
    assert.deepEqual(await names({ since: '2026-11-03', until: '2026-11-04' }), ['cl', 'cv', 'hep', 'optics']);
    assert.deepEqual(await names({ until: '2025-12-31' }), ['old']);
    assert.deepEqual(await names({ ids: [ids.cv, ids.hep] }), ['cv', 'hep']);
    assert.deepEqual(await names({ ids: [] }), [], 'an empty id list selects nothing');
    const lecun = await db.kysely.selectFrom('authors').select('id').where('name_norm', '=', 'yann lecun').executeTakeFirstOrThrow();
    assert.deepEqual(await names({ authorIds: [lecun.id] }), ['lg', 'old']);
    const meta = await db.kysely.selectFrom('organizations').select('id').where('slug', '=', 'meta').executeTakeFirstOrThrow();
    assert.deepEqual(await names({ organizationIds: [meta.id] }), ['lg', 'stat']);
  });

  test('text: all the words or any of them, phrases, exclusions', async () => {
    const text = (q: string, match: 'all' | 'any' = 'all') => {
      const p = parseQuery(q);
      return names({ text: { clauses: p.clauses, excluded: p.excluded, match } });
    };
    assert.deepEqual(await text('protein folding'), ['hep', 'lg', 'old', 'optics'], 'stemmed: folding/fold');
    assert.deepEqual(await text('adversarial robustness'), ['cv'], 'never a paper with only one of the words');
    assert.deepEqual(await text('adversarial robustness', 'any'), ['cl', 'cv', 'stat']);
    assert.deepEqual(await text('"protein folding"'), ['lg', 'old']);
    assert.deepEqual(await text('protein -optics'), ['hep', 'lg', 'old']);
    assert.deepEqual(await text('-protein'), ['cl', 'cv', 'math', 'stat'], 'exclusions alone');
  });

  test('a compound written run together matches its hyphenated spelling', async () => {
    assert.deepEqual(await names(queryFilter('proteinlike')), ['hep'], 'the title says protein-like');
    assert.deepEqual(await names(queryFilter('protein-like')), ['hep']);
  });

  test('title: and abstract: look in that field only', async () => {
    assert.deepEqual(await names(queryFilter('title:folding')), ['hep', 'lg', 'old', 'optics', 'stat']);
    assert.deepEqual(await names(queryFilter('title:"protein folding"')), ['lg', 'old']);
    assert.deepEqual(await names(queryFilter('abstract:lattices')), ['hep']);
    assert.deepEqual(await names(queryFilter('folding -title:protein')), ['stat']);
  });

  test('queries made only of stopwords mean the same on both databases', async () => {
    assert.deepEqual(await names(queryFilter('"to be or not to be"')), ['math']);
    assert.deepEqual(await names(queryFilter('to be or not to be')), ['math'], 'every word, stopwords included when there is nothing else');
    assert.deepEqual(await names(queryFilter('the')), ['old'], 'the one title with "the"; abstracts repeat titles here');
  });

  test('a query as a standing selection: its operators and all its words', async () => {
    assert.deepEqual(await names(queryFilter('folding cat:cs')), ['lg', 'stat']);
    assert.deepEqual(await names(queryFilter('protein author:lecun since:2025')), ['lg']);
    assert.deepEqual(await names(queryFilter('robustness -cat:cs.CV org:openai')), ['cl']);
  });

  test('fields combine: within one any value, across fields all; counts and membership agree', async () => {
    const f: PaperFilter = { categories: ['cs', 'q-bio'], organizations: ['meta'], since: '2026-01-01' };
    assert.deepEqual(await names(f), ['lg', 'stat']);
    assert.equal(await countFilteredPapers(db, f), 2);
    assert.deepEqual([...(await idsPassing(db, f, Object.values(ids)))].map(nameOf).sort(), ['lg', 'stat']);
    assert.equal(await countFilteredPapers(db, {}), Object.keys(ids).length);
  });

  test('orders: hotness, upvotes, newest, each ending on the id', async () => {
    const newest = await filteredPaperIds(db, { categories: ['cs'] }, 'newest', 10);
    assert.deepEqual(newest.map(nameOf), ['stat', 'cl', 'cv', 'lg']);
    const page2 = await filteredPaperIds(db, { categories: ['cs'] }, 'newest', 2, 2);
    assert.deepEqual(page2, newest.slice(2, 4));
  });
});

test('merging filters unions values, narrows days, intersects ids', () => {
  assert.deepEqual(mergeFilters({ categories: ['cs.LG'], since: '2025-01-01', ids: [1, 2, 3] }, { categories: ['cs.LG', 'cs.CL'], since: '2025-06-01', until: '2026-01-01', ids: [2, 3, 4] }), {
    categories: ['cs.LG', 'cs.CL'],
    since: '2025-06-01',
    until: '2026-01-01',
    ids: [2, 3],
  });
});

test('limits: too many values in a field, in all, or too many words are refused with the limit named', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `Author ${i}`);
  assert.throws(() => checkFilterLimits({ authors: many(300) }), (e: Error) => e instanceof FilterLimitError && /At most 20 authors/.test(e.message));
  assert.throws(() => checkFilterLimits({ authors: many(20), excludeAuthors: many(20), categories: ['cs'] }), /At most 40 filter values/);
  const words = Array.from({ length: 101 }, (_, i) => `w${i}`).join(' ');
  assert.throws(() => checkFilterLimits(queryFilter(words)), /At most 100 words/);
  checkFilterLimits({ authors: many(20), categories: many(20) });
});
