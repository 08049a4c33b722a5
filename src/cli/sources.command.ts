/** `paperboy sources add|list|remove|enable|disable|run|status`: what the instance follows, from a terminal. */
import { type Command, InvalidArgumentError } from 'commander';
import { isDay } from '../listings/period.ts';
import { ClientPool } from '../sources/clients.ts';
import { runDueSources } from '../sources/runner.ts';
import { addSource, removeSource, setSourceEnabled, SourceInputError, sourcesOverview, type SourceStatus } from '../sources/sources.service.ts';
import { withDb } from './with-db.ts';

const KINDS = ['arxiv', 'hf-daily', 'feed'] as const;

function sourceId(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a source id (see `paperboy sources list`)');
  return n;
}

function day(value: string): string {
  if (!isDay(value)) throw new InvalidArgumentError('must be a day as YYYY-MM-DD');
  return value;
}

const when = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '-');

/** One source as a line of `list` and `status`. */
function sourceLine(s: SourceStatus): string {
  const src = s.source;
  const parts = [`#${src.id}`, s.label, `(${src.schedule}${src.enabled ? '' : ', off'})`, s.health];
  parts.push(`last success ${when(src.last_success_at)}`, `next ${s.nextRunAt ? when(s.nextRunAt.toISOString()) : '-'}`);
  return `${parts.join('  ')}${s.warning ? `\n      ${s.warning}` : ''}`;
}

/** Adds the sources commands to the program. */
export function registerSourcesCommands(program: Command): void {
  const sources = program.command('sources').description('what this instance follows: arXiv categories, Hugging Face daily papers, RSS/Atom feeds');

  sources
    .command('add')
    .description('follow a source: `arxiv cs.LG` (a category or a whole archive: `arxiv cs`), `hf-daily`, or `feed https://…/rss`')
    .argument('<kind>', KINDS.join(', '))
    .argument('[target]', 'the category or archive (arxiv), or the feed URL (feed)')
    .option('--schedule <schedule>', '`listing` (after each arXiv announcement; arXiv only), `every 30m`, `every 6h`, `hourly`, `daily`')
    .option('--since <YYYY-MM-DD>', 'first day of the backfill (default: the last FETCH_BACKFILL_DAYS listing days)', day)
    .action(async (kind: string, target: string | undefined, opts: { schedule?: string; since?: string }) => {
      if (!(KINDS as readonly string[]).includes(kind)) throw new InvalidArgumentError(`kind must be one of ${KINDS.join(', ')}`);
      await withDb(async (db) => {
        try {
          const r = await addSource(db, { kind: kind as (typeof KINDS)[number], target: target ?? '', schedule: opts.schedule, backfillFrom: opts.since }, 'cli');
          console.log(r.created ? `Added #${r.id}: ${r.label}. \`paperboy serve\` fetches it at once, then on its schedule.` : `#${r.id} ${r.label} is followed already; nothing changed.`);
        } catch (err) {
          if (!(err instanceof SourceInputError)) throw err;
          console.error(err.message);
          process.exitCode = 2;
        }
      });
    });

  sources
    .command('list')
    .description('every source with its schedule and state')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      await withDb(async (db, config) => {
        const { sources: all } = await sourcesOverview(db, config, new Date(), 0);
        if (opts.json) return console.log(JSON.stringify(all.map((s) => ({ ...s.source, label: s.label, health: s.health, warning: s.warning ?? null }))));
        if (all.length === 0) return console.log('No sources yet. Add one: paperboy sources add arxiv cs.LG (or set FETCH_ARXIV=cs.LG for `paperboy serve`).');
        for (const s of all) console.log(sourceLine(s));
      });
    });

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    sources
      .command(name)
      .description(enabled ? 'switch a source on again (it runs at the next tick)' : 'stop fetching a source, keeping it and its runs')
      .argument('<id>', 'source id', sourceId)
      .action(async (id: number) => {
        await withDb(async (db) => {
          if (!(await setSourceEnabled(db, id, enabled))) {
            console.error(`No source #${id}.`);
            process.exitCode = 1;
          } else console.log(`#${id} ${enabled ? 'enabled' : 'disabled'}.`);
        });
      });
  }

  sources
    .command('remove')
    .description('stop following a source and forget its runs (the papers it brought stay)')
    .argument('<id>', 'source id', sourceId)
    .action(async (id: number) => {
      await withDb(async (db) => {
        if (await removeSource(db, id)) console.log(`Removed #${id}.`);
        else {
          console.error(`No source #${id}.`);
          process.exitCode = 1;
        }
      });
    });

  sources
    .command('run')
    .description('run the sources that are due now, or the given ones whatever their schedule')
    .argument('[ids...]', 'source ids', (v: string, prev: number[] = []) => [...prev, sourceId(v)])
    .action(async (ids: number[] | undefined) => {
      await withDb(async (db, config) => {
        const named = ids && ids.length ? ids : undefined;
        const reports = await runDueSources({ db, config, clients: new ClientPool(config.sources) }, { sourceIds: named, force: named !== undefined });
        if (reports.length === 0) console.log(named ? 'Nothing ran.' : 'Nothing is due.');
        for (const r of reports) {
          console.log(`#${r.sourceId} ${r.label}: ${r.status} — ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped} skipped${r.message ? `\n      ${r.message}` : ''}`);
        }
        if (reports.some((r) => r.status === 'failed' || r.status === 'busy')) process.exitCode = 1;
      });
    });

  sources
    .command('status')
    .description('how each source is doing (late, failing, its last success) and the latest runs, as /admin/sources shows them')
    .option('--runs <n>', 'how many runs to list', (v) => Math.max(0, Math.min(500, Number(v) || 0)), 10)
    .action(async (opts: { runs: number }) => {
      await withDb(async (db, config) => {
        const { sources: all, runs } = await sourcesOverview(db, config, new Date(), opts.runs);
        if (all.length === 0) return console.log('No sources yet.');
        for (const s of all) console.log(sourceLine(s));
        if (runs.length) console.log('\nLatest runs:');
        for (const r of runs) {
          const counts = `${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped} skipped, ${r.requests} requests`;
          console.log(`  ${when(r.started_at)}  ${r.label}  ${r.status}  ${r.window_from ?? ''}…${r.window_until ?? ''}  ${counts}${r.message ? `\n      ${r.message}` : ''}`);
        }
      });
    });
}
