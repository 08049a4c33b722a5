/**
 * `paperboy import FILE…`. Registered by the full CLI (src/cli.ts) and by the import-only entry
 * (src/cli-import.ts) that bin/paperboy.js starts for `paperboy import`: loading every command's modules
 * took about as long as importing a day of papers.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { FORMATS, importFile, type Format } from '../importers/import.service.ts';
import { parseMapping } from '../importers/jsonl.ts';
import { FormatError } from '../importers/types.ts';
import { formatImportReport, progressBar } from './output.ts';
import { withDb } from './with-db.ts';

/** Adds the `import` command to `program`. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import papers: JSON Lines (.jsonl, .jsonl.gz), arXiv Atom or OAI-PMH XML, HF daily_papers JSON, saved HF pages (.txt)')
    .argument('<files...>')
    .option('--format <format>', `force a format: ${FORMATS.join(', ')}`)
    .option('--map <mapping>', 'JSONL field mapping, e.g. id=arxiv_id,title=name,abstract=summary,authors=authors,date=published,categories=tags')
    .option('--one-thread', 'parse on the writing thread too (the default only for files under 1 MiB)')
    .action(async (files: string[], opts: { format?: string; map?: string; oneThread?: boolean }) => {
      if (opts.format && !FORMATS.includes(opts.format as Format)) throw new InvalidArgumentError(`--format must be one of ${FORMATS.join(', ')}`);
      const mapping = opts.map ? parseMapping(opts.map) : undefined;
      await withDb(async (db) => {
        for (const file of files) {
          const bar = progressBar(file);
          try {
            const report = await importFile(db, file, { format: opts.format as Format | undefined, mapping, onProgress: bar.update, parseInWorker: opts.oneThread ? false : undefined });
            bar.stop();
            console.log(formatImportReport(report));
          } catch (err) {
            bar.stop();
            if (!(err instanceof FormatError)) throw err;
            process.exitCode = 1;
            console.error(`import: ${err.message} — nothing from this file was imported`);
          }
        }
        // No reader threads: an import only writes, and starting them costs more than its few reads.
      }, { readers: 0 });
    });
}
