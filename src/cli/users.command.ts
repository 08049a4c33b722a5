/** `paperboy users add|list|role|suspend|reinstate`: accounts from the terminal — how the first admin is made. */
import { type Command, InvalidArgumentError } from 'commander';
import { listUsers } from '../accounts/accounts.repo.ts';
import { createUser, findUserByEmail, setRole, setStatus } from '../accounts/accounts.service.ts';
import { EmailInput } from '../subscriptions/subscription-input.ts';
import { withDb } from './with-db.ts';

/** An email address argument, lower-cased, or a usage error. */
export function emailArgument(value: string): string {
  const parsed = EmailInput.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0].message);
  return parsed.data;
}

/** Adds the users commands to the program. */
export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('manage accounts (the first admin comes from here)');
  users
    .command('add')
    .description('make an account (whatever REGISTRATION says); it signs in by email link, or sets a password on its account page')
    .argument('<email>', 'the address', emailArgument)
    .option('--admin', 'make it an administrator')
    .option('--name <name>', 'the name shown to others')
    .action(async (email: string, opts: { admin?: boolean; name?: string }) => {
      await withDb(async (db, config) => {
        const ctx = { db: db.kysely, accounts: config.accounts };
        const { user, created } = await createUser(ctx, { email, role: opts.admin ? 'admin' : 'member', displayName: opts.name?.slice(0, 80) ?? null });
        if (!created && opts.admin && user.role !== 'admin') await setRole(ctx, null, user, 'admin');
        const role = opts.admin ? 'admin' : user.role;
        console.log(`${user.email}: ${created ? 'added' : 'exists already'} (${role}). Sign in at ${config.publicBaseUrl}/signin with an email link.`);
      });
    });
  users
    .command('list')
    .description('list accounts')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      await withDb(async (db) => {
        const rows = await listUsers(db.kysely, { limit: 100_000 });
        const out = rows.map((r) => ({ id: r.id, email: r.email, role: r.role, status: r.status, password: r.password_hash !== null, createdAt: r.created_at, lastSignInAt: r.last_sign_in_at }));
        if (opts.json) return console.log(JSON.stringify(out, null, 2));
        if (out.length === 0) return console.log('No accounts yet. Make the first admin with: paperboy users add EMAIL --admin');
        for (const u of out) console.log(`${String(u.id).padStart(5)}  ${u.email}  ${u.role}  ${u.status}${u.password ? '  password' : ''}  last sign-in ${u.lastSignInAt ?? 'never'}`);
      });
    });
  users
    .command('role')
    .description('make an account an admin or a member')
    .argument('<email>', 'the address', emailArgument)
    .argument('<role>', 'admin or member', (v: string) => {
      if (v !== 'admin' && v !== 'member') throw new InvalidArgumentError('must be admin or member');
      return v;
    })
    .action(async (email: string, role: 'admin' | 'member') => change(email, (ctx, user) => setRole(ctx, null, user, role), `is now ${role === 'admin' ? 'an admin' : 'a member'}`));
  users
    .command('suspend')
    .description('suspend an account: signed out everywhere, its API tokens stop working')
    .argument('<email>', 'the address', emailArgument)
    .action(async (email: string) => change(email, (ctx, user) => setStatus(ctx, null, user, 'suspended'), 'is suspended'));
  users
    .command('reinstate')
    .description('lift a suspension')
    .argument('<email>', 'the address', emailArgument)
    .action(async (email: string) => change(email, (ctx, user) => setStatus(ctx, null, user, 'active'), 'is active again'));
}

type Change = (ctx: Parameters<typeof setRole>[0], user: NonNullable<Awaited<ReturnType<typeof findUserByEmail>>>) => Promise<'ok' | 'last-admin'>;

async function change(email: string, apply: Change, done: string): Promise<void> {
  await withDb(async (db, config) => {
    const user = await findUserByEmail(db.kysely, email);
    if (!user) {
      console.error(`users: no account for ${email}`);
      process.exitCode = 1;
      return;
    }
    if ((await apply({ db: db.kysely, accounts: config.accounts }, user)) === 'last-admin') {
      console.error(`users: ${email} is the last active admin; make another admin first`);
      process.exitCode = 1;
      return;
    }
    console.log(`${email} ${done}.`);
  });
}
