/**
 * How long the event loop was held, for tests and benchmarks: a 2 ms timer's longest gap, and that gap
 * bounded by the CPU time the main thread had in it. On a loaded machine a gap is mostly time the thread
 * waited for a core, which no code of ours can shorten; its CPU time is what ran in it.
 */
import { readFileSync } from 'node:fs';

/**
 * CPU time of the main thread so far, in ms: Linux's per-thread scheduler statistics, which leave out worker
 * threads' time (process.cpuUsage() counts every thread, so on two cores a gap in which a worker ran counted
 * double). Elsewhere the process's CPU time, which errs on the side of a longer hold.
 */
export function mainThreadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const cpu = process.cpuUsage();
    return (cpu.user + cpu.system) / 1000;
  }
}

/** Starts the timer; `take()` gives the longest gap and CPU-bounded gap since the last take, `stop()` ends it. */
export function loopMonitor(): { take(): { gapMs: number; stallMs: number }; stop(): void } {
  let last = performance.now();
  let lastCpu = mainThreadCpuMs();
  let gap = 0;
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = mainThreadCpuMs();
    gap = Math.max(gap, now - last);
    stall = Math.max(stall, Math.min(now - last, cpu - lastCpu));
    last = now;
    lastCpu = cpu;
  }, 2);
  return {
    take: () => {
      const out = { gapMs: gap, stallMs: stall };
      gap = stall = 0;
      return out;
    },
    stop: () => clearInterval(timer),
  };
}

/** Runs `work` under a loop monitor; its result with the longest hold (`stallMs`) and gap (`gapMs`). */
export async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number; gapMs: number }> {
  const monitor = loopMonitor();
  try {
    const result = await work();
    return { result, ...monitor.take() };
  } finally {
    monitor.stop();
  }
}
