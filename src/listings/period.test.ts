import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoWeekOf, isWeekend, parsePeriod, periodKey, periodLabel, periodOf, periodRange } from './period.ts';

test('ISO weeks: Monday to Sunday, week 1 holds the first Thursday, years with 53 weeks', () => {
  assert.deepEqual(isoWeekOf('2026-11-20'), { year: 2026, week: 47 });
  assert.deepEqual(isoWeekOf('2021-01-03'), { year: 2020, week: 53 });
  assert.deepEqual(isoWeekOf('2024-12-30'), { year: 2025, week: 1 });
  assert.deepEqual(periodRange(parsePeriod('week', '2026-W47')!), { from: '2026-11-16', to: '2026-11-22' });
  assert.deepEqual(periodRange(parsePeriod('week', '2025-W01')!), { from: '2024-12-30', to: '2025-01-05' });
  assert.ok(parsePeriod('week', '2026-W53'));
  assert.equal(parsePeriod('week', '2025-W53'), undefined);
});

test('months and days: real calendar dates only, in the supported years', () => {
  assert.deepEqual(periodRange(parsePeriod('month', '2024-02')!), { from: '2024-02-01', to: '2024-02-29' });
  assert.deepEqual(periodRange(parsePeriod('month', '2026-12')!), { from: '2026-12-01', to: '2026-12-31' });
  for (const bad of ['2026-02-30', '2026-13-01', '1900-01-01', '2026-1-1', '20261120', '2026-11-20x']) assert.equal(parsePeriod('day', bad), undefined, bad);
  for (const bad of ['2026-00', '2026-13', '2026-1']) assert.equal(parsePeriod('month', bad), undefined, bad);
});

test('keys, labels, weekends and the period of a day', () => {
  assert.equal(periodKey(periodOf('week', '2026-11-20')), '2026-W47');
  assert.equal(periodKey(periodOf('month', '2026-11-20')), '2026-11');
  assert.equal(periodLabel({ kind: 'day', day: '2026-11-20' }), 'Friday, November 20, 2026');
  assert.equal(periodLabel(parsePeriod('month', '2026-11')!), 'November 2026');
  assert.deepEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'].map(isWeekend), [false, true, true, false]);
});
