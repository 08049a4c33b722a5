import { type Command, InvalidArgumentError, Option } from 'commander';
import { ARXIV_API_URL, ARXIV_OAI_URL, fetchArxiv } from '../fetch/arxiv.ts';
import { fetchHfDaily, HF_BASE_URL } from '../fetch/hf.ts';
import { PoliteHttpClient } from '../fetch/http.ts';
import { importEvents, type ImportReport } from '../importers/import.service.ts';
import { isDay } from '../listings/period.ts';
import { formatImportReport } from './output.ts';
import { withDb } from './with-db.ts';

function day(value: string): string {
  if (!isDay(value)) throw new InvalidArgumentError('must be a real day YYYY-MM-DD');
  return value;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

function addTotals(total: ImportReport, page: ImportReport): void {
  total.added += page.added;
  total.updated += page.updated;
  total.unchanged += page.unchanged;
  total.skipped.push(...page.skipped);
  total.notes.push(...page.notes);
  const t = total.transactions;
  const p = page.transactions;
  // Percentiles of the pages combined are not the pages' percentiles; the worst page's is the honest bound.
  total.transactions = { count: t.count + p.count, p50Ms: Math.max(t.p50Ms, p.p50Ms), p99Ms: Math.max(t.p99Ms, p.p99Ms), longestMs: Math.max(t.longestMs, p.longestMs) };
  total.seconds += page.seconds;
}

/** Adds `paperboy fetch arxiv` and `paperboy fetch hf-daily`: live fetching from the public endpoints. */
export function registerFetchCommands(program: Command): void {
  const fetch = program.command('fetch').description('fetch new papers from arXiv or Hugging Face and import them');

  fetch
    .command('arxiv')
    .description('harvest a category from arXiv (OAI-PMH by default, or the search API), with arXiv\'s polite delay between requests')
    .requiredOption('--category <cat>', 'arXiv category, e.g. cs.LG (or a whole archive, e.g. cs)')
    .requiredOption('--since <date>', 'first day, YYYY-MM-DD', day)
    .option('--until <date>', 'last day, YYYY-MM-DD', day)
    .addOption(new Option('--via <endpoint>', 'which arXiv interface to use').choices(['oai', 'api']).default('oai'))
    .option('--delay <ms>', 'pause between requests (arXiv asks for 3000)', wholeNumber, 3000)
    .option('--base-url <url>', 'endpoint override, for mirrors (default: arXiv\'s own)')
    .option('--retries <n>', 'retries of a failed request, with exponential backoff', wholeNumber, 4)
    .action(async (opts: { category: string; since: string; until?: string; via: 'oai' | 'api'; delay: number; baseUrl?: string; retries: number }) => {
      await withDb(async (db) => {
        const total: ImportReport = { file: `arXiv ${opts.category} since ${opts.since}`, format: opts.via === 'oai' ? 'oai-pmh' : 'arxiv-atom', added: 0, updated: 0, unchanged: 0, skipped: [], notes: [], transactions: { count: 0, p50Ms: 0, p99Ms: 0, longestMs: 0 }, seconds: 0 };
        const pages = fetchArxiv({
          category: opts.category,
          since: opts.since,
          until: opts.until,
          via: opts.via,
          client: new PoliteHttpClient({ minDelayMs: opts.delay, retries: opts.retries }),
          baseUrl: opts.baseUrl ?? (opts.via === 'oai' ? ARXIV_OAI_URL : ARXIV_API_URL),
          onPage: (p) => console.error(`page ${p.page}: ${p.records} records${p.total !== undefined ? ` (of ${p.total} in the list)` : ''}`),
        });
        // Each page is its own transaction: an interrupted harvest keeps what it wrote, and running
        // the same command again skips those records as unchanged.
        for await (const batch of pages) addTotals(total, await importEvents(db, batch, { source: total.file, format: total.format }));
        console.log(formatImportReport(total));
      });
    });

  fetch
    .command('hf-daily')
    .description('fetch one day of Hugging Face daily papers (with upvotes and organizations)')
    .requiredOption('--date <date>', 'listing day, YYYY-MM-DD', day)
    .option('--base-url <url>', 'site override, for mirrors', HF_BASE_URL)
    .option('--retries <n>', 'retries of a failed request, with exponential backoff', wholeNumber, 4)
    .action(async (opts: { date: string; baseUrl: string; retries: number }) => {
      await withDb(async (db) => {
        const client = new PoliteHttpClient({ minDelayMs: 1000, retries: opts.retries });
        const { url, events } = await fetchHfDaily({ date: opts.date, baseUrl: opts.baseUrl, client });
        console.log(formatImportReport(await importEvents(db, events, { source: url, format: 'hf-daily' })));
      });
    });
}
