/**
 * A small in-process scheduler: each job runs every `intervalMs` (never overlapping itself), can be woken early,
 * and stops cleanly. Jobs that several processes may run at once must be safe for it themselves (the digest
 * jobs are, through leases in the database).
 */

import { observeJob } from '../ops/metrics.ts';

/** A recurring piece of background work. */
export interface Job {
  name: string;
  intervalMs: number;
  run(): Promise<void>;
}

/** A running scheduler. */
export interface Scheduler {
  /** Runs a job as soon as it is idle (again right after, if it is running now). */
  wake(name: string): void;
  /** Stops scheduling and waits for running jobs to finish. */
  stop(): Promise<void>;
}

/** Starts the jobs (each first runs after `initialDelayMs`); failures are logged and the job runs again next time. */
export function startScheduler(jobs: Job[], opts: { log?: (line: string) => void; initialDelayMs?: number } = {}): Scheduler {
  const log = opts.log ?? ((line) => console.error(line));
  let stopped = false;
  const state = new Map<string, { timer?: NodeJS.Timeout; running?: Promise<void>; again: boolean }>();

  const schedule = (job: Job, delay: number) => {
    const s = state.get(job.name)!;
    clearTimeout(s.timer);
    if (stopped) return;
    s.timer = setTimeout(() => void tick(job), delay);
    // Background work never keeps the process alive on its own.
    s.timer.unref();
  };

  const tick = async (job: Job) => {
    const s = state.get(job.name)!;
    if (stopped) return;
    if (s.running) {
      s.again = true;
      return;
    }
    const started = performance.now();
    s.running = job.run().then(
      () => observeJob(job.name, 'ok', (performance.now() - started) / 1000),
      (err) => {
        observeJob(job.name, 'failed', (performance.now() - started) / 1000);
        log(`jobs: ${job.name} failed: ${(err as Error).stack ?? err}`);
      },
    );
    await s.running;
    s.running = undefined;
    const again = s.again;
    s.again = false;
    schedule(job, again ? 0 : job.intervalMs);
  };

  for (const job of jobs) {
    state.set(job.name, { again: false });
    schedule(job, opts.initialDelayMs ?? 1000);
  }

  return {
    wake(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job || stopped) return;
      const s = state.get(name)!;
      if (s.running) s.again = true;
      else schedule(job, 0);
    },
    async stop() {
      stopped = true;
      for (const s of state.values()) clearTimeout(s.timer);
      await Promise.all([...state.values()].map((s) => s.running));
    },
  };
}
