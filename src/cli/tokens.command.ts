/** `paperboy tokens create|list|revoke`: personal API tokens from the terminal (each shown once, stored hashed). */
import type { Command } from 'commander';
import { findUserByEmail } from '../accounts/accounts.service.ts';
import { createApiToken, findApiToken, listApiTokens, MAX_TOKENS, revokeApiToken } from '../accounts/api-tokens.ts';
import { ownedBy } from '../accounts/user.ts';
import { emailArgument } from './users.command.ts';
import { withDb } from './with-db.ts';
import type { Db } from '../db/database.ts';

async function accountOf(db: Db, email: string) {
  const user = await findUserByEmail(db.kysely, email);
  if (!user) {
    console.error(`tokens: no account for ${email} (make one with: paperboy users add ${email})`);
    process.exitCode = 1;
  }
  return user;
}

/** Adds the tokens commands to the program. */
export function registerTokensCommands(program: Command): void {
  const tokens = program.command('tokens').description('personal API tokens (Authorization: Bearer pb_…)');
  tokens
    .command('create')
    .description('make a token for an account and print it once')
    .argument('<email>', 'the account', emailArgument)
    .option('--name <name>', 'what the token is for', 'command line')
    .action(async (email: string, opts: { name: string }) => {
      await withDb(async (db) => {
        const user = await accountOf(db, email);
        if (!user) return;
        const made = await createApiToken(db.kysely, user, opts.name);
        if (!made) {
          console.error(`tokens: ${email} has ${MAX_TOKENS} tokens already; revoke one first`);
          process.exitCode = 1;
          return;
        }
        // The token alone on stdout, so `TOKEN=$(paperboy tokens create …)` works; the rest goes to stderr.
        console.log(made.token);
        console.error(`Token ${made.row.id} “${made.row.name}” for ${user.email}. It is not shown again; send it as Authorization: Bearer <token>.`);
      });
    });
  tokens
    .command('list')
    .description("list an account's tokens (their first characters only)")
    .argument('<email>', 'the account', emailArgument)
    .action(async (email: string) => {
      await withDb(async (db) => {
        const user = await accountOf(db, email);
        if (!user) return;
        const rows = await listApiTokens(db.kysely, user);
        if (rows.length === 0) return console.log(`${user.email} has no tokens.`);
        for (const t of rows) console.log(`${String(t.id).padStart(5)}  ${t.prefix}…  ${t.name}  made ${t.created_at}  last used ${t.last_used_at ?? 'never'}`);
      });
    });
  tokens
    .command('revoke')
    .description('revoke one of an account’s tokens by its id')
    .argument('<email>', 'the account', emailArgument)
    .argument('<id>', 'the token id (from tokens list)')
    .action(async (email: string, id: string) => {
      await withDb(async (db) => {
        const user = await accountOf(db, email);
        if (!user) return;
        const token = /^\d{1,9}$/.test(id) ? ownedBy(user, await findApiToken(db.kysely, Number(id))) : undefined;
        if (!token) {
          console.error(`tokens: ${user.email} has no token ${id}`);
          process.exitCode = 1;
          return;
        }
        await revokeApiToken(db.kysely, token);
        console.log(`Token ${id} of ${user.email} is revoked.`);
      });
    });
}
