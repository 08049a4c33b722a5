/**
 * The mail to ADMIN_EMAIL when a source has failed for a day: once per failing spell, whichever process
 * notices first (sources.repo.ts#claimFailureAlert), sent at once through the configured mailer — it goes
 * to the operator, not a subscriber, so it needs neither the outbox's unsubscribe links nor its queue.
 */
import type { Config } from '../config.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';
import { MailButton, MailShell, renderMailHtml } from '../mail/mail-layout.tsx';
import { sourceLabel } from './describe.ts';
import { claimFailureAlert, type SourceRow } from './sources.repo.ts';
import type { Db } from '../db/database.ts';

/** How long a source may fail before the admin is mailed. */
export const ALERT_AFTER_MS = 24 * 3600_000;

/**
 * Mails the admin when `source` has had no successful run for ALERT_AFTER_MS (counted from its creation
 * when it never succeeded); true when a mail went out.
 */
export async function alertIfFailingForADay(
  db: Db,
  config: Pick<Config, 'sources' | 'mail' | 'publicBaseUrl'>,
  source: SourceRow,
  lastError: string,
  now: Date,
  mailer?: Mailer,
): Promise<boolean> {
  const to = config.sources.adminEmail;
  const since = source.last_success_at ?? source.created_at;
  if (!to || now.getTime() - Date.parse(since) < ALERT_AFTER_MS) return false;
  if (!(await claimFailureAlert(db.kysely, source.id, since, now))) return false;
  const label = sourceLabel(source);
  const page = `${config.publicBaseUrl}/admin/sources`;
  const what = source.last_success_at ? `has not been fetched since ${since.slice(0, 16).replace('T', ' ')} UTC` : 'has never been fetched';
  const html = renderMailHtml(
    <MailShell title={`${label} is failing`} preheader={`${label} ${what}.`} baseUrl={config.publicBaseUrl}>
      <p style="margin:0 0 12px;">
        {label} {what}: every run since then failed.
      </p>
      <p style="margin:0 0 12px;">The last error: {lastError}</p>
      <MailButton href={page}>See the sources</MailButton>
    </MailShell>,
  );
  const text = [`${label} ${what}: every run since then failed.`, '', `The last error: ${lastError}`, '', `Sources: ${page}`].join('\n');
  const own = mailer ? undefined : createMailer(config.mail);
  try {
    const sent = await (mailer ?? own!).send({ key: `source-failing:${source.id}:${since}`, to, subject: `Paperboy: ${label} is failing`, html, text });
    return sent.status === 'sent';
  } finally {
    own?.close();
  }
}
