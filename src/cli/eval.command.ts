import type { Command } from 'commander';
import { BeirFormatError } from '../search/eval/beir.ts';
import { evaluateBeir } from '../search/eval/eval.service.ts';
import { formatMetricsTable, metricsJson } from '../search/eval/harness.ts';

/** Adds `paperboy eval --beir DIR`: search quality of every mode on a benchmark in the BEIR format. */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('measure search quality (nDCG@10, MRR, Recall@100) of each search mode on a BEIR-format benchmark')
    .requiredOption('--beir <dir>', 'folder with corpus.jsonl, queries.jsonl and qrels/<split>.tsv')
    .option('--split <name>', 'which qrels file to use', 'test')
    .option('--json', 'machine-readable output')
    .action(async (opts: { beir: string; split: string; json?: boolean }) => {
      try {
        const e = await evaluateBeir(opts.beir, { split: opts.split, log: opts.json ? undefined : (line) => console.error(line) });
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
