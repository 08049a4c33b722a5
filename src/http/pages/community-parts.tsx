/**
 * The reader's controls on shared pages, as user slots (user-slots.tsx): each paper card's vote button and
 * reading buttons, follow buttons for authors, organizations and categories, the "hide papers I have seen"
 * switch and the Following/Submit links. The shared page holds what anonymous readers see (the count, a link
 * to sign in) and, for the cards, what signed-in readers see unless their state differs; one query per kind
 * of slot on the page.
 *
 * Every control posts a plain form (the CSRF field, back to the same place), so it works without JavaScript:
 * a card's vote and reading buttons post the page's one actions form (reader-forms.tsx) to their own
 * `formaction`, so they are the same for every reader; follow buttons are forms of their own. app.js sends
 * the same change to the JSON API and updates the control in place. The data- attributes (on the button,
 * or a follow form) say how: `data-api` and `data-method` the request, `data-body` its JSON, `data-toggle` the kind.
 */
import type { Child } from 'hono/jsx';
import { followStateAmong } from '../../community/follows.service.ts';
import { markedPaperStates, type ReaderPaperState } from '../../community/reader-state.repo.ts';
import { voteCounts, type VoteCounts } from '../../community/votes.service.ts';
import type { Paper } from '../../papers/paper.ts';
import { signInUrl } from '../auth.ts';
import { followingUrl, FOLLOW_URLS, readingUrls, submitUrl, voteUrls } from '../community-urls.ts';
import { quickReads } from '../../db/database.ts';
import { CSRF_FIELD, csrfToken } from '../csrf.ts';
import { escapeHtml } from './escape.ts';
import { defineUserSlot, UserSlot } from '../user-slots.tsx';
import { backHere as here, READER_ACTIONS_FORM } from './reader-forms.tsx';
import { paperUrl } from '../urls.ts';
import { formatCount } from './format.ts';
import { Day } from './parts.tsx';

/** "12 on Hugging Face · 3 here": which votes are which. */
export function voteBreakdown(counts: { imported: number; local: number }): string {
  return `${formatCount(counts.imported)} on Hugging Face · ${formatCount(counts.local)} here`;
}

// The signed-in fragments below are written as strings, not JSX: a page fills one per card for every
// signed-in request, and building them is most of what such a request costs (bench:signed-in).
const esc = escapeHtml;
const CHECK = '✓';

function hidden(csrf: string, back: string, fields: Record<string, string>): string {
  let out = `<input type="hidden" name="${CSRF_FIELD}" value="${esc(csrf)}"/>`;
  for (const [name, value] of Object.entries(fields)) out += `<input type="hidden" name="${esc(name)}" value="${esc(value)}"/>`;
  return `${out}<input type="hidden" name="back" value="${esc(back)}"/>`;
}

/** A signed-in reader's vote button for one paper: a button of the page's actions form (reader-forms.tsx). */
function voteButton(id: number, counts: VoteCounts, voted: boolean): string {
  const urls = voteUrls(id);
  return (
    `<button type="submit" form="${READER_ACTIONS_FORM}" formaction="${urls.form}" name="vote" value="${voted ? '0' : '1'}" class="vote-button" aria-pressed="${voted}" title="${esc(voteBreakdown(counts))}" data-toggle="vote" data-paper="${id}" data-api="${urls.api}" data-method="${voted ? 'DELETE' : 'POST'}">` +
    `<span aria-hidden="true">▲</span> <span class="vote-count">${esc(formatCount(counts.total))}</span><span class="sr-only"> upvotes; upvote</span></button>`
  );
}

/** The two reading buttons: read, and not interested (one state at a time; pressing the held one clears it). */
function readingButtons(id: number, reading: ReaderPaperState['reading']): string {
  const urls = readingUrls(id);
  const button = (value: 'read' | 'dismissed', api: string, off: string, on: string) => {
    const held = reading === value;
    return (
      `<button type="submit" form="${READER_ACTIONS_FORM}" formaction="${urls.form}" name="state" value="${held ? 'none' : value}" class="action-button" aria-pressed="${held}" data-toggle="reading" data-state="${value}" data-api="${api}" data-method="${held ? 'DELETE' : 'POST'}" data-off="${off}" data-on="${on}">${held ? on : off}</button>`
    );
  };
  return button('read', urls.read, 'Mark read', `${CHECK} Read`) + button('dismissed', urls.notInterested, 'Not interested', `${CHECK} Not interested`);
}

function paperActionsHtml(id: number, counts: VoteCounts, voted: boolean, reading: ReaderPaperState['reading']): string {
  return `<div class="paper-actions">${voteButton(id, counts, voted)}${readingButtons(id, reading)}</div>`;
}

/**
 * Per card: the vote button and the reading buttons. The shared page holds them unpressed (the member part);
 * a reader gets a fragment only for the cards they voted for or marked — one query for every card of the page.
 */
export const paperActionsSlot = defineUserSlot({
  name: 'paper-actions',
  async render({ user, ids, db }) {
    const states = await markedPaperStates(quickReads(db), user.id, ids.map(Number).filter(Number.isSafeInteger));
    return new Map(
      states.map((s) => [String(s.id), paperActionsHtml(s.id, voteCounts({ upvotes: s.upvotes, localVotes: s.localVotes }), s.voted, s.reading)]),
    );
  },
});

/** A paper's vote count and actions: a link to sign in for everyone, the buttons for signed-in readers. */
export function PaperActions({ paper }: { paper: Pick<Paper, 'id' | 'arxivId' | 'upvotes' | 'localVotes'> }) {
  const counts = voteCounts(paper);
  return (
    <UserSlot slot={paperActionsSlot} id={String(paper.id)} member={paperActionsHtml(paper.id, counts, false, null)}>
      <div class="paper-actions">
        <a class="vote-button" href={signInUrl(paperUrl(paper))} title={`${voteBreakdown(counts)} — sign in to upvote`}>
          <span aria-hidden="true">▲</span> <span class="vote-count">{formatCount(counts.total)}</span>
          <span class="sr-only"> upvotes; sign in to upvote</span>
        </a>
      </div>
    </UserSlot>
  );
}

/** "Submitted by ada on 6 Jul 2026", for a paper someone submitted here. */
export function SubmittedBy({ paper }: { paper: Pick<Paper, 'submission'> }) {
  if (!paper.submission) return null;
  return (
    <li class="submitted">
      Submitted by <strong>{paper.submission.by}</strong> on <Day value={paper.submission.on} />
    </li>
  );
}

/** What a follow button follows: an author by id, an organization by slug, a category; `label` names it on the button. */
export type Followable = { author: number } | { organization: string } | { category: string };

const slotId = (f: Followable) => ('author' in f ? `author-${f.author}` : 'organization' in f ? `org-${f.organization}` : `cat-${f.category}`);

function parseSlotId(id: string): Followable | undefined {
  const m = /^(author|org|cat)-(.+)$/.exec(id);
  if (!m) return undefined;
  if (m[1] === 'author') return /^\d{1,10}$/.test(m[2]) ? { author: Number(m[2]) } : undefined;
  return m[1] === 'org' ? { organization: m[2] } : { category: m[2] };
}

function followForm(target: Followable, following: boolean, csrf: string, back: string): string {
  const [name, value] = Object.entries(target)[0] as [string, string | number];
  const what = 'category' in target ? ` ${target.category}` : '';
  return (
    `<form method="post" action="${FOLLOW_URLS.form}" class="follow-form" data-toggle="follow" data-api="${FOLLOW_URLS.api}" data-method="${following ? 'DELETE' : 'POST'}" data-body="${esc(JSON.stringify(target))}">` +
    hidden(csrf, back, { [name]: String(value), follow: following ? '0' : '1' }) +
    `<button type="submit" class="action-button follow-button" aria-pressed="${following}" data-off="${esc(`Follow${what}`)}" data-on="${CHECK} Following${esc(what)}">${following ? `${CHECK} Following` : 'Follow'}${esc(what)}</button></form>`
  );
}

/** Follow buttons: one query for every author, organization and category button of the page. */
export const followSlot = defineUserSlot({
  name: 'follow',
  async render({ c, user, ids, db }) {
    const targets = ids.flatMap((id) => {
      const target = parseSlotId(id);
      return target ? [{ id, target }] : [];
    });
    const state = await followStateAmong(db, user.id, {
      authorIds: targets.flatMap((t) => ('author' in t.target ? [t.target.author] : [])),
      organizationSlugs: targets.flatMap((t) => ('organization' in t.target ? [t.target.organization] : [])),
      categories: targets.flatMap((t) => ('category' in t.target ? [t.target.category] : [])),
    });
    const followed = (t: Followable) =>
      'author' in t ? state.authorIds.has(t.author) : 'organization' in t ? state.organizationSlugs.has(t.organization) : state.categories.has(t.category.toLowerCase());
    const csrf = csrfToken(c);
    const back = here(c);
    return new Map(targets.map(({ id, target }) => [id, followForm(target, followed(target), csrf, back)]));
  },
});

/** A follow button; signed-out readers see `children` (nothing by default). */
export function FollowButton({ target, children }: { target: Followable; children?: Child }) {
  const id = slotId(target);
  // A slot id is at most 100 safe characters; a longer organization slug simply gets no button.
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(id)) return <>{children}</>;
  return <UserSlot slot={followSlot} id={id}>{children}</UserSlot>;
}

/** The "hide papers I have seen" switch of a list: a link to the same list with or without `hide=read`. */
export const hideSeenSlot = defineUserSlot({
  name: 'hide-seen',
  render({ c }) {
    const url = new URL(c.req.url);
    const hiding = url.searchParams.get('hide') === 'read';
    if (hiding) url.searchParams.delete('hide');
    else url.searchParams.set('hide', 'read');
    url.searchParams.delete('page');
    const href = esc(url.pathname + (url.search.length > 1 ? url.search : ''));
    // A string, not JSX (same markup), as the other fragments of every signed-in request.
    const html = hiding
      ? `<p class="hide-seen">Papers you have read or are not interested in are hidden. <a href="${href}">Show them</a></p>`
      : `<p class="hide-seen"><a href="${href}">Hide papers I have seen</a></p>`;
    return new Map([['-', html]]);
  },
});

/** Where a list shows the switch (empty for signed-out readers). */
export function HideSeenSwitch() {
  return <UserSlot slot={hideSeenSlot} />;
}

/** The header's links to the Following and Submit pages, for signed-in readers. */
export const communityNavSlot = defineUserSlot({
  name: 'community-nav',
  render({ config }) {
    const html =
      '<nav class="community-nav" aria-label="Yours">' +
      (config.recommendations ? '<a href="/for-you">For you</a>' : '') +
      `<a href="${esc(followingUrl())}">Following</a><a href="${esc(submitUrl())}">Submit</a><a href="/collections">Collections</a></nav>`;
    return new Map([['-', html]]);
  },
});

/** Where the header shows them. */
export function CommunityNav() {
  return <UserSlot slot={communityNavSlot} />;
}
