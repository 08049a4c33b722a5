/**
 * The background jobs of mail: `digest` (every DIGEST_INTERVAL_MINUTES: queue the current day's digests once,
 * and for subscribers added since; send what is due) and `mail` (every 30 s, and as soon as a message is
 * queued: send what is due, so confirmation mails go out at once and each digest within 30 s of its local
 * hour, composed then from the papers and votes known). Safe with several instances on one database.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { runDigest } from '../digest/digest.service.ts';
import { deliverDue, type DeliveryReport } from '../mail/delivery.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';
import { outboxEvents } from '../mail/outbox.repo.ts';
import { pruneRateLimits } from '../subscriptions/rate-limits.ts';
import { pruneExpiredSignIns } from '../accounts/accounts.service.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

const MAIL_INTERVAL_MS = 30_000;

function summary(d: DeliveryReport): string | undefined {
  const parts = Object.entries({ sent: d.sent, retried: d.retried, failed: d.failed, cancelled: d.cancelled, bounced: d.bounced, 'with nothing new': d.empty, 'released (stopping)': d.released })
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return parts.length ? parts.join(', ') : undefined;
}

/** Starts the digest and mail jobs; returns the scheduler (stop it before closing the database). */
export function startMailJobs(db: Db, config: Config, mailer: Mailer, log: (line: string) => void = console.log): Scheduler {
  // Stopping ends a delivery pass early: the sends under way finish, the other claimed messages are released.
  const stopping = new AbortController();
  const scheduler = startScheduler(
    [
      {
        name: 'digest',
        intervalMs: config.digest.intervalMinutes * 60_000,
        async run() {
          const r = await runDigest(db, config, mailer, { signal: stopping.signal });
          if (r.prepare && !r.prepare.skipped && r.prepare.subscribers > 0) {
            log(`digest ${r.day}: queued ${r.prepare.messages} digests for ${r.prepare.subscribers} subscribers in ${r.prepare.seconds.toFixed(1)} s`);
          }
          const sent = summary(r.delivery);
          if (sent) log(`mail: ${sent}`);
          await pruneRateLimits(db.kysely, new Date(Date.now() - 2 * 86_400_000));
          await pruneExpiredSignIns(db.kysely);
        },
      },
      {
        name: 'mail',
        intervalMs: MAIL_INTERVAL_MS,
        async run() {
          const sent = summary(await deliverDue(db, config, mailer, { signal: stopping.signal }));
          if (sent) log(`mail: ${sent}`);
        },
      },
    ],
    { log: (line) => console.error(line) },
  );
  const wake = () => scheduler.wake('mail');
  outboxEvents.on('queued', wake);
  return {
    wake: scheduler.wake,
    async stop() {
      outboxEvents.off('queued', wake);
      stopping.abort();
      await scheduler.stop();
    },
  };
}

/** What `paperboy serve` starts: the mailer for the configuration and the jobs, logging where mail goes. */
export function startBackgroundJobs(db: Db, config: Config, log: (line: string) => void = console.log): Scheduler {
  const mailer = createMailer(config.mail);
  log(`Mail goes to ${mailer.describe}; digests at ${String(config.digest.hour).padStart(2, '0')}:00 in each subscriber's time zone.`);
  const jobs = startMailJobs(db, config, mailer, log);
  return {
    wake: jobs.wake,
    async stop() {
      await jobs.stop();
      mailer.close();
    },
  };
}
