/** `paperboy backup`, `restore`, `move-store` and `export`: keeping and moving a store, and a reader's data. */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openConfiguredDb } from '../db/open.ts';
import { othersPresent } from '../db/presence.ts';
import { backupSqlite, restoreSqlite } from '../ops/backup.ts';
import { moveStore } from '../ops/move-store.ts';
import { exportUserData } from '../ops/user-export.service.ts';
import { withDb } from './with-db.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The SQLite store of the configuration; refuses a PostgreSQL one, which has its own tools. */
function sqliteStore(command: string): string {
  const config = loadConfig();
  if (config.databaseUrl) throw new Error(`${command}: DATABASE_URL points at PostgreSQL; use pg_dump / pg_restore for it (this command is for the SQLite store)`);
  return path.join(config.dataDir, 'paperboy.sqlite');
}

/** Registers the commands. */
export function registerOpsCommands(program: Command): void {
  program
    .command('backup')
    .description('copy the SQLite store to FILE, consistently, even while `paperboy serve` runs and writes')
    .argument('<file>')
    .action((file: string) => {
      const r = backupSqlite(sqliteStore('backup'), file);
      console.log(`Backed up ${r.papers} papers to ${r.file} (${mb(r.bytes)}) in ${r.seconds.toFixed(1)} s.`);
    });

  program
    .command('restore')
    .description('replace the SQLite store with a backup FILE (stop `paperboy serve` first; the old store is kept beside it)')
    .argument('<file>')
    .action(async (file: string) => {
      const store = sqliteStore('restore');
      if (othersPresent(store)) throw new Error('restore: a `paperboy serve` is using the store; stop it first');
      const r = restoreSqlite(file, store);
      // A backup from an older release is brought up to this one's schema now, not at the next start.
      const db = await openConfiguredDb(loadConfig());
      await db.close();
      console.log(`Restored ${r.papers} papers from ${file}.${r.previous ? ` The store it replaced is at ${r.previous}.` : ''}`);
    });

  program
    .command('move-store')
    .description('copy the whole SQLite store into an empty PostgreSQL database, verifying counts and checksums per table')
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://user:password@host/db')
    .action(async (opts: { to: string }) => {
      if (!/^postgres(ql)?:\/\//.test(opts.to)) throw new Error('move-store: --to must be a postgres:// or postgresql:// URL');
      const store = sqliteStore('move-store');
      if (othersPresent(store)) console.error('move-store: a `paperboy serve` is using the store: the copy is consistent, but what it writes from now on stays behind. Stop it for the move.');
      const r = await moveStore(store, opts.to, console.log);
      const rows = r.tables.reduce((n, t) => n + t.rows, 0);
      console.log(`Copied ${r.tables.length} tables (${rows} rows) in ${r.seconds.toFixed(1)} s; every count and checksum is equal.`);
      console.log(`Now start Paperboy with DATABASE_URL=${opts.to.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`);
    });

  program
    .command('export')
    .description("write everything Paperboy holds about one reader as JSON (what the account page's download gives)")
    .requiredOption('--user <email>', 'the account')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (opts: { user: string; out?: string }) => {
      await withDb(async (db) => {
        const data = await exportUserData(db, opts.user);
        if (!data) throw new Error(`export: no account ${opts.user}`);
        const text = `${JSON.stringify(data, null, 2)}\n`;
        if (!opts.out) return void process.stdout.write(text);
        const { writeFileSync } = await import('node:fs');
        writeFileSync(opts.out, text, { mode: 0o600 });
        console.error(`Wrote ${opts.out}.`);
      });
    });
}
