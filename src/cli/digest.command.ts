/** `paperboy digest run|preview` and `paperboy subscribers add|list`. */
import { type Command, InvalidArgumentError } from 'commander';
import { currentDigestDay, previewDigest, runDigest } from '../digest/digest.service.ts';
import { latestListingDay } from '../listings/listings.repo.ts';
import { isDay } from '../listings/period.ts';
import { deliverDue } from '../mail/delivery.ts';
import { createMailer } from '../mail/mailer.ts';
import { withSecretKey } from '../secret-key.ts';
import { EmailInput, TIME_ZONES } from '../subscriptions/subscription-input.ts';
import { listSubscribers } from '../subscriptions/subscriptions.repo.ts';
import { addSubscriberDirectly } from '../subscriptions/subscriptions.service.ts';
import { withDb } from './with-db.ts';

function day(value: string): string {
  if (!isDay(value)) throw new InvalidArgumentError('must be a day as YYYY-MM-DD');
  return value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds the digest and subscriber commands to the program. */
export function registerDigestCommands(program: Command): void {
  const digest = program.command('digest').description('prepare and send the daily digest');
  digest
    .command('run')
    .description("queue a listing day's digests (once) and send every message that is due, composing each digest as it goes")
    .option('--date <YYYY-MM-DD>', 'the listing day (default: the latest, if at most 3 days old)', day)
    .option('--now', "send now instead of at each subscriber's digest hour")
    .action(async (opts: { date?: string; now?: boolean }) => {
      await withDb(async (db, base) => {
        const config = withSecretKey(base);
        const mailer = createMailer(config.mail);
        try {
          const r = await runDigest(db, config, mailer, { day: opts.date, sendNow: opts.now });
          if (!r.day) console.log('No recent listing day to prepare (use --date YYYY-MM-DD for an older one).');
          else if (r.prepare?.skipped) console.log(`${r.day}: nothing prepared (${r.prepare.skipped}).`);
          else if (r.prepare) console.log(`${r.day}: prepared ${r.prepare.messages} digests for ${r.prepare.subscribers} subscribers in ${r.prepare.seconds.toFixed(1)} s (each composed when it is sent)`);
          const d = r.delivery;
          console.log(
            `mail (${mailer.describe}): ${d.sent} sent, ${d.retried} to retry, ${d.failed} failed, ${d.cancelled} cancelled, ${d.bounced} addresses stopped, ` +
              `${d.composed} digests composed, ${d.empty} with nothing new, in ${d.seconds.toFixed(1)} s`,
          );
        } finally {
          mailer.close();
        }
      });
    });
  digest
    .command('preview')
    .description('show the digest a subscriber would get (nothing is sent or recorded)')
    .argument('<email>')
    .option('--date <YYYY-MM-DD>', 'the listing day (default: the latest)', day)
    .option('--html', 'print the HTML part instead of the plain text')
    .action(async (email: string, opts: { date?: string; html?: boolean }) => {
      await withDb(async (db, base) => {
        const config = withSecretKey(base);
        const latest = await latestListingDay(db.kysely);
        const when = opts.date ?? (await currentDigestDay(db, new Date())) ?? latest;
        if (!when) return console.log('The store has no listing days yet.');
        const mail = await previewDigest(db, config, email, when);
        if (!mail) return console.log(`${email} would get no digest for ${when} (nothing new for them).`);
        if (opts.html) return console.log(mail.html);
        console.log(`To: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}`);
      });
    });

  const subscribers = program.command('subscribers').description('manage digest subscribers');
  subscribers
    .command('add')
    .description('add a subscriber; without --confirmed a confirmation mail is sent (double opt-in)')
    .argument('<email>')
    .option('--confirmed', 'skip double opt-in (only for addresses whose owner asked you directly)')
    .option('--alert <query>', 'an alert for a keyword search (repeatable)', collect, [])
    .option('--tz <zone>', 'IANA time zone, e.g. Europe/Berlin', 'UTC')
    .option('--size <n>', 'papers per digest', (v) => Number(v))
    .action(async (raw: string, opts: { confirmed?: boolean; alert: string[]; tz: string; size?: number }) => {
      const email = EmailInput.safeParse(raw);
      if (!email.success) throw new InvalidArgumentError(`subscribers add: ${email.error.issues[0].message}`);
      if (!TIME_ZONES.includes(opts.tz)) throw new InvalidArgumentError(`subscribers add: --tz ${opts.tz} is not a time zone (e.g. Europe/Berlin)`);
      await withDb(async (db, base) => {
        const config = withSecretKey(base);
        const alerts = opts.alert.map((query) => ({ query, category: null, organization: null, author: null }));
        const sub = await addSubscriberDirectly(db.kysely, { email: email.data, confirmed: !!opts.confirmed, timeZone: opts.tz, digestSize: opts.size ?? config.digest.size, alerts });
        console.log(`${sub.email}: ${sub.status} (id ${sub.id}, ${sub.time_zone}, ${alerts.length} alert(s) added)`);
        if (sub.status === 'pending') {
          const mailer = createMailer(config.mail);
          const r = await deliverDue(db, config, mailer).finally(() => mailer.close());
          console.log(`confirmation mail: ${r.sent ? `sent via ${mailer.describe}` : 'queued (rate limited or SMTP unavailable)'}`);
        }
      });
    });
  subscribers
    .command('list')
    .description('list subscribers')
    .option('--limit <n>', 'at most this many', (v) => Number(v), 1000)
    .option('--json', 'machine-readable output')
    .action(async (opts: { limit: number; json?: boolean }) => {
      await withDb(async (db) => {
        const rows = await listSubscribers(db.kysely, opts.limit);
        if (opts.json) return console.log(JSON.stringify(rows.map((r) => ({ id: r.id, email: r.email, status: r.status, timeZone: r.time_zone, digest: r.digest_enabled === 1, digestSize: r.digest_size, alerts: r.alerts }))));
        if (rows.length === 0) return console.log('No subscribers yet.');
        for (const r of rows) {
          console.log(`${String(r.id).padStart(5)}  ${r.email.padEnd(32)} ${r.status.padEnd(12)} ${r.time_zone.padEnd(20)} ${r.digest_enabled ? `top ${r.digest_size}` : 'no digest'}, ${r.alerts} alert(s)`);
        }
      });
    });
}
