import type { Command } from 'commander';
import { BeirFormatError } from '../search/eval/beir.ts';
import { evaluateBeir } from '../search/eval/eval.service.ts';
import { formatMetricsTable, metricsJson } from '../search/eval/harness.ts';
import { RecommendEvalCliOptions } from '../recommend/eval/cli-options.ts';
import { evaluateRecommendations } from '../recommend/eval/eval.service.ts';
import { evaluationJson, formatEvaluation } from '../recommend/eval/report.ts';

/**
 * Adds `paperboy eval --beir DIR` (search quality of every mode on a BEIR-format benchmark) and
 * `paperboy eval --recommend` (recommendation quality against the baselines on the arXiv corpus).
 */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('measure search quality on a BEIR-format benchmark (--beir), or recommendations against baselines (--recommend)')
    .option('--beir <dir>', 'folder with corpus.jsonl, queries.jsonl and qrels/<split>.tsv')
    .option('--split <name>', 'which qrels file to use', 'test')
    .option('--recommend', 'evaluate recommendations: simulated readers (authors) on the arXiv corpus')
    .option('--corpus <file>', 'corpus JSON Lines file (default: the shared arXiv corpus)')
    .option('--cutoff <day>', 'YYYY-MM-DD: libraries before it, candidates in the window after it', '2026-05-01')
    .option('--window-days <n>', 'listing days after the cutoff whose papers are ranked', '7')
    .option('--users <n>', 'simulated readers drawn', '500')
    .option('--seed <n>', 'random seed of the draw', '1')
    .option('--json', 'machine-readable output')
    .action(async (opts: { beir?: string; split: string; json?: boolean; recommend?: boolean } & Record<string, unknown>) => {
      if (opts.recommend) {
        const parsed = RecommendEvalCliOptions.safeParse(opts);
        if (!parsed.success) {
          console.error(parsed.error.issues[0].message);
          process.exitCode = 2;
          return;
        }
        const e = await evaluateRecommendations({ ...parsed.data, log: opts.json ? undefined : (line) => console.error(line) });
        if (opts.json) return console.log(JSON.stringify(evaluationJson(e), null, 2));
        return console.log(`${e.corpus}: ${e.papers} papers, embedder ${e.embedder}\n\n${formatEvaluation(e)}`);
      }
      if (!opts.beir) {
        console.error('eval: give --beir DIR (search) or --recommend (recommendations).');
        process.exitCode = 2;
        return;
      }
      const beir = opts.beir;
      try {
        const e = await evaluateBeir(beir, { split: opts.split, log: opts.json ? undefined : (line) => console.error(line) });
        if (opts.json) {
          const { results, ...about } = e;
          return console.log(JSON.stringify({ ...about, modes: metricsJson(results) }, null, 2));
        }
        console.log(`${e.benchmark} (${e.split}): ${e.documents} documents, ${e.queries} judged queries\n`);
        console.log(formatMetricsTable(e.results));
      } catch (err) {
        if (!(err instanceof BeirFormatError)) throw err;
        console.error(err.message);
        process.exitCode = 2;
      }
    });
}
