import cliProgress from 'cli-progress';
import type { ImportReport } from '../importers/import.service.ts';

/** A progress bar on an interactive terminal (stderr), silent otherwise so logs and pipes stay clean. */
export function progressBar(label: string): { update(fraction: number, records: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {records} records | {rate}/s`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(1000, 0, { records: 0, rate: 0 });
  return {
    update(fraction, records) {
      const rate = Math.round(records / Math.max(0.001, (performance.now() - started) / 1000));
      bar.update(Math.round(Math.min(1, fraction) * 1000), { records, rate });
    },
    stop: () => bar.stop(),
  };
}

/**
 * The summary printed after an import: counts, speed, how long its write transactions held the store,
 * and the first skipped records and dropped values with where and why.
 */
export function formatImportReport(r: ImportReport, maxListed = 20): string {
  const records = r.added + r.updated + r.unchanged + r.skipped.length;
  const rate = Math.round(records / Math.max(r.seconds, 0.001));
  const t = r.transactions;
  const lines = [
    `${r.file} (${r.format}): ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped.length} skipped — ${records} records in ${r.seconds.toFixed(1)} s (${rate}/s)`,
  ];
  if (t.count > 0) lines.push(`  ${t.count} write transaction${t.count === 1 ? '' : 's'}, ${t.p50Ms.toFixed(1)} ms median, ${t.longestMs.toFixed(1)} ms longest`);
  for (const s of r.skipped.slice(0, maxListed)) lines.push(`  skipped ${s.location}: ${s.reason}`);
  if (r.skipped.length > maxListed) lines.push(`  … and ${r.skipped.length - maxListed} more skipped`);
  for (const n of r.notes.slice(0, maxListed)) lines.push(`  note ${n.location}: ${n.note}`);
  if (r.notes.length > maxListed) lines.push(`  … and ${r.notes.length - maxListed} more notes`);
  return lines.join('\n');
}
