import { Command, InvalidArgumentError } from 'commander';
import { registerEvalCommand } from './cli/eval.command.ts';
import { registerEmbedCommands } from './cli/embed.command.ts';
import { registerFetchCommands } from './cli/fetch.command.ts';
import { registerImportCommand } from './cli/import.command.ts';
import { runProgram } from './cli/run.ts';
import { withDb } from './cli/with-db.ts';
import { loadConfig } from './config.ts';
import { registerDigestCommands } from './cli/digest.command.ts';
import { registerServeCommand } from './cli/serve.command.ts';
import { registerSourcesCommands } from './cli/sources.command.ts';
import { registerTokensCommands } from './cli/tokens.command.ts';
import { registerOpsCommands } from './cli/ops.command.ts';
import { registerUsersCommands } from './cli/users.command.ts';
import { firstListingDay, latestListingDay } from './listings/listings.repo.ts';
import { latexToText } from './papers/latex-text.ts';
import { countAll } from './papers/papers.repo.ts';
import { configuredEmbedder, search, type SearchMode } from './search/search.service.ts';

const SEARCH_MODES: SearchMode[] = ['keyword', 'semantic', 'hybrid'];

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more');
  return n;
}

const program = new Command('paperboy').description('Self-hosted research-paper discovery').showHelpAfterError();

registerImportCommand(program);

program
  .command('stats')
  .description('count papers, authors and organizations')
  .option('--json', 'machine-readable output')
  .action(async (opts: { json?: boolean }) => {
    await withDb(async (db) => {
      const s = { ...(await countAll(db.kysely)), firstDay: (await firstListingDay(db.kysely)) ?? null, lastDay: (await latestListingDay(db.kysely)) ?? null };
      if (opts.json) return console.log(JSON.stringify({ database: db.dialect, ...s }));
      console.log(`database       ${db.dialect} (${db.location})`);
      console.log(`papers         ${s.papers} (${s.withArxivId} with an arXiv id)`);
      console.log(`authors        ${s.authors}`);
      console.log(`organizations  ${s.organizations}`);
      console.log(`listing days   ${s.firstDay ?? '-'} … ${s.lastDay ?? '-'}`);
    });
  });

program
  .command('migrate')
  .description('create or upgrade the database schema')
  .action(async () => {
    await withDb(async (db) => console.log(`${db.dialect} database at ${db.location} is up to date.`));
  });

program
  .command('search')
  .description('search papers: words, "phrases", -exclusions, author: cat: org: year: since: until: (see README, "Search")')
  .argument('<query...>')
  .option('--mode <mode>', 'keyword, semantic or hybrid (falls back to keyword without vectors)', 'hybrid')
  .option('--limit <n>', 'number of results', positiveInt, 10)
  .option('--json', 'machine-readable output')
  .action(async (words: string[], opts: { mode: string; limit: number; json?: boolean }) => {
    const query = words.join(' ');
    if (!SEARCH_MODES.includes(opts.mode as SearchMode)) throw new InvalidArgumentError(`--mode must be one of ${SEARCH_MODES.join(', ')}`);
    await withDb(async (db) => {
      const { results, mode, parsedQuery, noVectors } = await search(db, { query, mode: opts.mode as SearchMode, limit: opts.limit }, { oneShot: true, embedder: configuredEmbedder(loadConfig()) });
      if (opts.json) {
        const out = results.map(({ paper, score, matchedTerms }) => ({
          id: paper.arxivId ?? String(paper.id),
          title: paper.title,
          score,
          matchedTerms,
          authors: paper.authors.map((a) => a.name),
          date: paper.announcedOn,
          url: paper.links.abs,
        }));
        return console.log(JSON.stringify({ query, mode, warnings: parsedQuery.warnings, results: out }, null, 2));
      }
      for (const warning of parsedQuery.warnings) console.error(`search: ${warning}`);
      if (noVectors) console.error(`search: no vectors for ${opts.mode} search yet (run \`paperboy embed\`), so keyword search was used`);
      if (results.length === 0) return console.log('No papers match. Try fewer or different words.');
      results.forEach(({ paper, score }, i) => {
        const names = paper.authors.map((a) => a.name);
        const who = names.length > 3 ? `${names.slice(0, 3).join(', ')} et al.` : names.join(', ');
        // A terminal shows text: TeX as Unicode ("GSBAKᴷ: top-K"); --json keeps the title as stored.
        console.log(`${String(i + 1).padStart(2)}. ${latexToText(paper.title)}`);
        console.log(`    ${[paper.arxivId ?? `#${paper.id}`, paper.announcedOn, who].filter(Boolean).join(' · ')}  (score ${score.toFixed(2)})`);
      });
    });
  });

registerServeCommand(program);
registerFetchCommands(program);
registerEmbedCommands(program);
registerDigestCommands(program);
registerEvalCommand(program);
registerSourcesCommands(program);
registerUsersCommands(program);
registerTokensCommands(program);
registerOpsCommands(program);

await runProgram(program);
