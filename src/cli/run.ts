import { type Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config.ts';
import { FormatError } from '../importers/types.ts';

/** Parses the command line and runs the command: a usage, configuration or file error exits 2, any other 1. */
export async function runProgram(program: Command): Promise<void> {
  // `paperboy search … | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof FormatError || err instanceof InvalidArgumentError) {
      console.error(err.message);
      process.exit(2);
    }
    console.error(`paperboy: ${(err as Error).message}`);
    if (process.env.LOG_LEVEL === 'debug') console.error(err);
    process.exit(1);
  }
}
