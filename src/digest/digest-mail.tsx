/** The digest mail: alert matches grouped under their alert, then the trending papers; HTML and plain text. */
import { communityLine } from '../community/signals-text.ts';
import { raw } from 'hono/html';
import { periodOf } from '../listings/period.ts';
import { MAIL_STYLE, MailLink, MailShell, renderMailHtml } from '../mail/mail-layout.tsx';
import type { OutgoingMail } from '../mail/mailer.ts';
import { latexToText } from '../papers/latex-text.ts';
import type { Paper } from '../papers/paper.ts';
import { authorSummary, excerpt } from '../papers/paper-text.ts';
import { managePath, unsubscribePath } from '../subscriptions/links.ts';
import { listHeaders } from '../subscriptions/subscription-mails.tsx';
import { paperUrl, periodUrl, searchUrl } from '../urls.ts';
import { alertSearchQuery } from './alerts.ts';
import type { DigestPayload } from './compose.ts';

/** What rendering a digest needs. */
export interface DigestMailContext {
  baseUrl: string;
  key: string;
  /** Rendered paper rows shared by the mails of one delivery run (most subscribers get the same papers). */
  rows?: Map<string, string>;
}

const LONG_DAY = new Intl.DateTimeFormat('en', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const longDays = new Map<string, string>();

/** "Wednesday, July 1, 2026". */
export function longDay(day: string): string {
  let label = longDays.get(day);
  if (label === undefined) longDays.set(day, (label = LONG_DAY.format(Date.parse(`${day}T00:00:00Z`))));
  return label;
}

/** The subject line: how many alert matches and trending papers, and the day. */
export function digestSubject(payload: DigestPayload): string {
  const matches = payload.alerts.reduce((n, a) => n + a.ids.length, 0);
  const parts = [];
  if (matches) parts.push(`${matches} new for your alerts`);
  if (payload.recommended?.length) parts.push(`${payload.recommended.length} recommended for you`);
  if (payload.top.length) parts.push(`${payload.top.length} trending papers`);
  return `Paperboy: ${parts.join(', ')} · ${longDay(payload.day)}`;
}

/** "See them all": the search selecting the alert's papers — its query and fields, the window's days, keyword mode as alerts match. */
function alertUrl(baseUrl: string, payload: DigestPayload, a: DigestPayload['alerts'][number]): string {
  const q = alertSearchQuery({ query: a.query, category: a.category, organization: a.organization, author: a.author ?? null });
  return baseUrl + searchUrl({ q, from: payload.from ?? payload.day, to: payload.day, mode: 'keyword' });
}

/**
 * Titles and excerpts go out as Unicode text, in the HTML part too: KaTeX's markup needs its stylesheet and
 * web fonts, which mail clients strip or never load (Gmail drops <link> and <style>, Outlook has no web fonts),
 * and MathML renders in few of them — there typeset math would show as its source twice over. "GSBAKᴷ: top-K"
 * reads in every client, and in the text part and the preheader alike.
 */
function PaperRow({ paper, baseUrl, n, why }: { paper: Paper; baseUrl: string; n?: number; why?: string }) {
  const s = MAIL_STYLE;
  const meta = [authorSummary(paper, 3), paper.organization?.name, paper.primaryCategory ?? paper.categories[0]].filter(Boolean).join(' · ');
  return (
    <tr>
      <td style={`padding:10px 0;border-bottom:1px solid ${s.border};vertical-align:top;width:28px;color:${s.muted};font-size:14px;`}>{n !== undefined ? `${n}.` : '•'}</td>
      <td style={`padding:10px 0;border-bottom:1px solid ${s.border};vertical-align:top;`}>
        <MailLink href={baseUrl + paperUrl(paper)} strong>
          {latexToText(paper.title)}
        </MailLink>
        {(meta || communityLine(paper)) && <div style={`font-size:13px;color:${s.muted};margin-top:2px;`}>{[meta, communityLine(paper)].filter(Boolean).join(' · ')}</div>}
        {why && <div style={`font-size:13px;color:${s.muted};margin-top:2px;font-style:italic;`}>Why: {why}</div>}
        {paper.abstract && <div style={`font-size:13px;color:${s.text};margin-top:4px;line-height:1.45;`}>{excerpt(latexToText(paper.abstract), 220)}</div>}
      </td>
    </tr>
  );
}

/** A paper row as HTML, from the run's cache when another mail rendered it already. */
function rowHtml(ctx: DigestMailContext, paper: Paper, n: number | undefined, why?: string): string {
  // A reason is one reader's: such rows are not shared through the run's cache.
  if (why) return String(<PaperRow paper={paper} baseUrl={ctx.baseUrl} n={n} why={why} />);
  const key = `${paper.id}:${n ?? ''}`;
  let html = ctx.rows?.get(key);
  if (html === undefined) {
    html = String(<PaperRow paper={paper} baseUrl={ctx.baseUrl} n={n} />);
    ctx.rows?.set(key, html);
  }
  return html;
}

function Section({ title, papers, ctx, numbered, more, why }: { title: string; papers: Paper[]; ctx: DigestMailContext; numbered?: boolean; more?: { count: number; url?: string }; why?: Map<number, string> }) {
  return (
    <>
      <h2 style="font-size:17px;margin:22px 0 4px;">{title}</h2>
      <table role="presentation" width="100%" cellpadding={0} cellspacing={0} border={0}>
        {papers.map((p, i) => (
          raw(rowHtml(ctx, p, numbered ? i + 1 : undefined, why?.get(p.id)))
        ))}
      </table>
      {more && more.count > 0 && (
        <p style={`font-size:13px;color:${MAIL_STYLE.muted};margin:8px 0 0;`}>
          And {more.count} more{more.url ? ' — ' : '.'}
          {more.url && <MailLink href={more.url}>see them all</MailLink>}
        </p>
      )}
    </>
  );
}

/** Renders one digest; `papers` must hold every id the payload names (missing ones, since deleted, are left out). */
export function digestMail(ctx: DigestMailContext, sub: { id: number; email: string }, payload: DigestPayload, papers: Map<number, Paper>, outboxKey: string): OutgoingMail {
  const pick = (ids: number[]) => ids.map((id) => papers.get(id)).filter((p): p is Paper => p !== undefined);
  const manage = ctx.baseUrl + managePath(ctx.key, sub.id);
  const unsubscribe = ctx.baseUrl + unsubscribePath(ctx.key, sub.id);
  const day = longDay(payload.day);
  const top = pick(payload.top);
  const alerts = payload.alerts.map((a) => ({ ...a, papers: pick(a.ids), url: alertUrl(ctx.baseUrl, payload, a) })).filter((a) => a.papers.length > 0);
  const recommended = pick((payload.recommended ?? []).map((r) => r.id));
  const why = new Map((payload.recommended ?? []).map((r) => [r.id, r.why]));
  const subject = digestSubject(payload);
  const html = renderMailHtml(
    <MailShell
      title={subject}
      preheader={latexToText(top[0]?.title ?? alerts[0]?.papers[0]?.title ?? day)}
      baseUrl={ctx.baseUrl}
      footer={
        <p style="margin:0;">
          You receive this because {sub.email} subscribed to Paperboy. <MailLink href={manage}>Manage preferences and alerts</MailLink> ·{' '}
          <MailLink href={unsubscribe}>Unsubscribe</MailLink>
        </p>
      }
    >
      <p style={`margin:0;color:${MAIL_STYLE.muted};font-size:14px;`}>{day}</p>
      {alerts.map((a) => (
        <Section title={`Alert: ${a.label}`} papers={a.papers} ctx={ctx} more={{ count: a.more, url: a.url }} />
      ))}
      {recommended.length > 0 && <Section title="Recommended for you" papers={recommended} ctx={ctx} why={why} more={{ count: 0 }} />}
      {recommended.length > 0 && (
        <p style={`font-size:13px;color:${MAIL_STYLE.muted};margin:6px 0 0;`}>
          <MailLink href={`${ctx.baseUrl}/for-you`}>More on your For-you page</MailLink>
        </p>
      )}
      {top.length > 0 && <Section title="Trending papers" papers={top} ctx={ctx} numbered />}
      <p style="margin:22px 0 0;font-size:14px;">
        <MailLink href={ctx.baseUrl + periodUrl(periodOf('day', payload.day))}>See all papers of {day} on Paperboy</MailLink>
      </p>
    </MailShell>,
  );
  const text = digestText(ctx.baseUrl, payload.day, day, alerts, top, manage, unsubscribe, sub.email, recommended.map((p) => ({ paper: p, why: why.get(p.id)! })));
  return { key: outboxKey, to: sub.email, subject, html, text, headers: listHeaders(unsubscribe) };
}

function textEntry(baseUrl: string, p: Paper, bullet: string): string {
  const meta = [authorSummary(p, 3), p.organization?.name, p.primaryCategory ?? p.categories[0], communityLine(p)].filter(Boolean).join(' · ');
  return [`${bullet} ${latexToText(p.title)}`, meta && `   ${meta}`, `   ${baseUrl}${paperUrl(p)}`].filter(Boolean).join('\n');
}

function digestText(
  baseUrl: string,
  isoDay: string,
  day: string,
  alerts: { label: string; papers: Paper[]; more: number; url?: string }[],
  top: Paper[],
  manage: string,
  unsubscribe: string,
  email: string,
  recommended: { paper: Paper; why: string }[] = [],
): string {
  const out = [`Paperboy — ${day}`, ''];
  for (const a of alerts) {
    out.push(`ALERT: ${a.label}`, '', ...a.papers.map((p) => textEntry(baseUrl, p, '*')), '');
    if (a.more > 0) out.push(`And ${a.more} more${a.url ? `: ${a.url}` : '.'}`, '');
  }
  if (recommended.length) out.push('RECOMMENDED FOR YOU', '', ...recommended.map((r) => `${textEntry(baseUrl, r.paper, '*')}\n   Why: ${r.why}`), '');
  if (top.length) out.push('TRENDING PAPERS', '', ...top.map((p, i) => textEntry(baseUrl, p, `${i + 1}.`)), '');
  out.push(`All papers of ${day}: ${baseUrl}${periodUrl(periodOf('day', isoDay))}`, '', '--', `You receive this because ${email} subscribed to Paperboy.`, `Manage preferences and alerts: ${manage}`, `Unsubscribe: ${unsubscribe}`);
  return out.join('\n');
}
