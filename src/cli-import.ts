/**
 * `paperboy import` alone: the same command as in src/cli.ts, without loading the modules of every other
 * command (the server, search, mail…), which took about 2 s of every import's start-up.
 */
import { Command } from 'commander';
import { registerImportCommand } from './cli/import.command.ts';
import { runProgram } from './cli/run.ts';

const program = new Command('paperboy').description('Self-hosted research-paper discovery').showHelpAfterError();
registerImportCommand(program);
await runProgram(program);
