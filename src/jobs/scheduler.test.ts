import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startScheduler } from './scheduler.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('jobs run on their interval, never overlap, can be woken, and stop cleanly', async () => {
  let runs = 0;
  let running = 0;
  let overlapped = false;
  const scheduler = startScheduler(
    [
      {
        name: 'slow',
        intervalMs: 10_000,
        async run() {
          running++;
          overlapped ||= running > 1;
          runs++;
          await sleep(50);
          running--;
        },
      },
    ],
    { initialDelayMs: 0 },
  );
  await sleep(20);
  assert.equal(runs, 1, 'first run right away');
  scheduler.wake('slow');
  scheduler.wake('slow');
  await sleep(150);
  assert.equal(runs, 2, 'woken while running: exactly one more run, right after');
  scheduler.wake('slow');
  await scheduler.stop();
  assert.ok(!overlapped);
  const after = runs;
  scheduler.wake('slow');
  await sleep(30);
  assert.equal(runs, after, 'nothing runs after stop');
});

test('a failing job is logged and runs again next time', async () => {
  const lines: string[] = [];
  let runs = 0;
  const scheduler = startScheduler(
    [
      {
        name: 'flaky',
        intervalMs: 10,
        async run() {
          runs++;
          if (runs === 1) throw new Error('boom');
        },
      },
    ],
    { initialDelayMs: 0, log: (l) => lines.push(l) },
  );
  // Until the second run (bounded): a loaded machine may take longer than a few intervals.
  for (let waited = 0; runs < 2 && waited < 5_000; waited += 10) await sleep(10);
  await scheduler.stop();
  assert.ok(runs >= 2);
  assert.match(lines[0], /jobs: flaky failed: Error: boom/);
});
