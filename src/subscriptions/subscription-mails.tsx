/** The mails of subscribing: the confirmation link, and the note to an address that is subscribed already. */
import type { OutgoingMail } from '../mail/mailer.ts';
import { MailButton, MailLink, MailShell, renderMailHtml } from '../mail/mail-layout.tsx';
import { confirmPath, managePath, unsubscribePath } from './links.ts';
import type { SubscribeChoices } from './subscription-input.ts';
import { CONFIRM_LINK_HOURS } from './tokens.ts';

/** What rendering a subscription mail needs. */
export interface SubscriptionMailContext {
  baseUrl: string;
  key: string;
  now: Date;
}

/**
 * The double opt-in mail: one link, valid for CONFIRM_LINK_HOURS, usable once, carrying the form's
 * `choices` (the mail names its alert, so the reader knows what the link accepts).
 */
export function confirmationMail(ctx: SubscriptionMailContext, sub: { id: number; email: string }, nonce: string, outboxKey: string, choices?: SubscribeChoices): OutgoingMail {
  const url = ctx.baseUrl + confirmPath(ctx.key, sub.id, nonce, ctx.now, choices);
  const alert = choices?.alertQuery ? `Confirming also adds an alert for new papers on “${choices.alertQuery}”.` : undefined;
  const manage = ctx.baseUrl + managePath(ctx.key, sub.id);
  const html = renderMailHtml(
    <MailShell
      title="Confirm your Paperboy subscription"
      preheader="One click to start receiving trending papers."
      baseUrl={ctx.baseUrl}
      footer={
        <p style="margin:0;">
          Did not ask for this? Ignore this mail: nothing will be sent to {sub.email} unless the link is used. <MailLink href={manage}>Preferences</MailLink>
        </p>
      }
    >
      <p style="margin:0 0 12px;">Someone — hopefully you — asked Paperboy to send research papers to {sub.email}.</p>
      {alert && <p style="margin:0 0 12px;">{alert}</p>}
      <MailButton href={url}>Confirm my subscription</MailButton>
      <p style="margin:0;font-size:13px;">
        The link works once and for {CONFIRM_LINK_HOURS} hours. If the button does not work, open this address: <MailLink href={url}>{url}</MailLink>
      </p>
    </MailShell>,
  );
  const text = [
    `Someone — hopefully you — asked Paperboy to send research papers to ${sub.email}.`,
    ...(alert ? [alert] : []),
    '',
    'Confirm your subscription:',
    url,
    '',
    `The link works once and for ${CONFIRM_LINK_HOURS} hours.`,
    `Did not ask for this? Ignore this mail: nothing will be sent unless the link is used.`,
    `Preferences: ${manage}`,
  ].join('\n');
  return { key: outboxKey, to: sub.email, subject: 'Confirm your Paperboy subscription', html, text };
}

/** Sent instead of a confirmation when the address is subscribed already: the form never says so on screen. */
export function alreadySubscribedMail(ctx: SubscriptionMailContext, sub: { id: number; email: string }, outboxKey: string): OutgoingMail {
  const manage = ctx.baseUrl + managePath(ctx.key, sub.id);
  const unsubscribe = ctx.baseUrl + unsubscribePath(ctx.key, sub.id);
  const html = renderMailHtml(
    <MailShell
      title="You are already subscribed"
      preheader="Your Paperboy subscription is active."
      baseUrl={ctx.baseUrl}
      footer={
        <p style="margin:0;">
          <MailLink href={manage}>Manage preferences</MailLink> · <MailLink href={unsubscribe}>Unsubscribe</MailLink>
        </p>
      }
    >
      <p style="margin:0 0 12px;">Someone asked to subscribe {sub.email} to Paperboy, and this address is subscribed already — nothing has changed.</p>
      <MailButton href={manage}>Manage my preferences</MailButton>
    </MailShell>,
  );
  const text = [
    `Someone asked to subscribe ${sub.email} to Paperboy, and this address is subscribed already — nothing has changed.`,
    '',
    `Manage preferences: ${manage}`,
    `Unsubscribe: ${unsubscribe}`,
  ].join('\n');
  return { key: outboxKey, to: sub.email, subject: 'You are already subscribed to Paperboy', html, text, headers: listHeaders(unsubscribe) };
}

/** The RFC 2369 / RFC 8058 headers that let mail clients offer one-click unsubscribe. */
export function listHeaders(unsubscribeUrl: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
