/**
 * GET /for-you: the reader's recommended papers with their reasons in words and the steering buttons
 * (more like this, not interested, don't use this paper / author / term); onboarding for a new reader;
 * GET /for-you/model: what the model has learned, with a reset.
 */
import type { Paper } from '../../papers/paper.ts';
import type { learnedSummary, Recommendation } from '../../recommend/recommend.service.ts';
import { reasonText, seedKindText, type Reason } from '../../recommend/reasons.ts';
import { DEFAULT_DAYS, PREPARING_RETRY_SECONDS } from '../../recommend/recommend.schemas.ts';
import { REFERENCE_PREFIX } from '../../recommend/signals.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { paperUrl } from '../urls.ts';
import { Layout } from './layout.tsx';
import { EmptyList, PaperItem } from './list-parts.tsx';

/** The page's addresses. */
export const FOR_YOU_URLS = { page: '/for-you', model: '/for-you/model', steer: '/for-you/steer', onboarding: '/for-you/onboarding', reset: '/for-you/reset' } as const;

function SteerButton({ csrf, kind, value, label, back, undo }: { csrf: string; kind: string; value: string; label: string; back: string; undo?: boolean }) {
  return (
    <form method="post" action={FOR_YOU_URLS.steer} class="inline-form">
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="value" value={value} />
      <input type="hidden" name="back" value={back} />
      {undo && <input type="hidden" name="undo" value="1" />}
      <button type="submit" class="link-button">
        {label}
      </button>
    </form>
  );
}

/** A seed's title: a link to its page, or plain text for an uploaded reference the store does not hold. */
function SignalPaperTitle({ id, title }: { id: string; title: string }) {
  return id.startsWith(REFERENCE_PREFIX) ? <span class="reference-title">{title}</span> : <a href={paperUrl({ id: Number(id), arxivId: null })}>{title}</a>;
}

/** The "don't use this …" button of a reason, when the reason has something to leave out. */
function ReasonLine({ reason, csrf, back }: { reason: Reason; csrf: string; back: string }) {
  const off =
    reason.kind === 'similar'
      ? { kind: 'paper', value: reason.paper.id, label: 'don’t use this paper' }
      : reason.kind === 'terms'
        ? { kind: 'term', value: reason.terms[0], label: `don’t use “${reason.terms[0]}”` }
        : reason.kind === 'author'
          ? { kind: 'author', value: reason.name, label: 'don’t use this author' }
          : undefined;
  return (
    <li>
      {reason.kind === 'similar' ? (
        <>
          {reason.signal === 'more-like-this' ? 'you asked for more of ' : 'like '}
          <SignalPaperTitle id={reason.paper.id} title={`“${reason.paper.title}”`} />
          {reason.signal === 'more-like-this' ? '' : ` ${reasonText(reason).split('” ').pop()}`}
        </>
      ) : (
        reasonText(reason)
      )}
      {off && <SteerButton csrf={csrf} back={back} {...off} />}
    </li>
  );
}

function Card({ item, csrf, back }: { item: Recommendation; csrf: string; back: string }) {
  const { paper } = item;
  return (
    <PaperItem paper={paper}>
      <div class="recommend-why">
        <p class="eyebrow">Why</p>
        <ul class="reasons">
          {item.reasons.slice(0, 3).map((r) => (
            <ReasonLine reason={r} csrf={csrf} back={back} />
          ))}
        </ul>
        <div class="steer">
          <SteerButton csrf={csrf} kind="more" value={String(paper.id)} label="More like this" back={back} />
          {/* "Not interested" is the card's own reading button (PaperActions above): it retrains on the next load. */}
        </div>
      </div>
    </PaperItem>
  );
}

/** What the For-you page shows. */
export interface ForYouView {
  items: Recommendation[];
  needsOnboarding: boolean;
  days: number;
  csrf: string;
  /** Onboarding: the store's main categories and a few popular new papers to start from. */
  onboarding?: { categories: string[]; papers: Paper[] };
  feedUrl: string;
  /** The reader's model or the listing is still being prepared (recommend.service.ts#RecommendationList). */
  preparing?: boolean;
}

/** Renders the For-you page. */
export function forYouPage(v: ForYouView) {
  const back = v.days === DEFAULT_DAYS ? FOR_YOU_URLS.page : `${FOR_YOU_URLS.page}?days=${v.days}`;
  return (
    <Layout title="For you" canonical={FOR_YOU_URLS.page} feeds={[{ title: 'For you (private feed)', href: v.feedUrl, format: 'atom' }]} head={v.preparing ? <ReloadSoon /> : undefined}>
      <header class="period-head">
        <p class="eyebrow">Yours</p>
        <h1>For you</h1>
        <p class="stats">
          {v.days === 1 ? 'The newest listing day' : `The last ${v.days} listing days`}, ranked for you.{' '}
          <a href={v.days === 7 ? `${FOR_YOU_URLS.page}?days=1` : FOR_YOU_URLS.page}>{v.days === 7 ? 'Newest day only' : 'Best of the week'}</a> ·{' '}
          <a href={FOR_YOU_URLS.model}>What it has learned</a> · <a href={v.feedUrl}>Private feed</a>
        </p>
      </header>
      {v.needsOnboarding && v.onboarding ? <Onboarding {...v.onboarding} csrf={v.csrf} /> : null}
      {v.items.length > 0 ? (
        <ol class="paper-list">
          {v.items.map((item) => (
            <Card item={item} csrf={v.csrf} back={back} />
          ))}
        </ol>
      ) : v.needsOnboarding ? null : v.preparing ? (
        <Preparing what="Your recommendations are" />
      ) : (
        <EmptyList title="Nothing to recommend yet">
          <p>No new papers in these days match what you follow or save. Try the whole week, or save a few papers.</p>
        </EmptyList>
      )}
    </Layout>
  );
}

function Onboarding({ categories, papers, csrf }: { categories: string[]; papers: Paper[]; csrf: string }) {
  return (
    <section class="onboarding" aria-labelledby="onboarding-title">
      <h2 id="onboarding-title">Start here</h2>
      <p>Pick a few categories you read, and a paper or two you like: recommendations start from them and learn from every vote, save and “not interested”.</p>
      <form method="post" action={FOR_YOU_URLS.onboarding}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <fieldset class="check-list">
          <legend>Categories</legend>
          {categories.map((c) => (
            <label>
              <input type="checkbox" name="category" value={c} /> {c}
            </label>
          ))}
        </fieldset>
        <button type="submit">Use these categories</button>
      </form>
      {papers.length > 0 && (
        <>
          <h3>Popular new papers</h3>
          <ul class="onboarding-papers">
            {papers.map((p) => (
              <li>
                <a href={paperUrl(p)}>{p.title}</a> <SteerButton csrf={csrf} kind="more" value={String(p.id)} label="More like this" back={FOR_YOU_URLS.page} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The notice of a page whose recommendations or model are still being prepared (ReloadSoon in its head). */
function Preparing({ what }: { what: string }) {
  return (
    <EmptyList title={`${what} being prepared`}>
      <p>Paperboy is learning from what you saved and voted on. This page reloads itself in a few seconds.</p>
    </EmptyList>
  );
}

/** Reloads a "being prepared" page by itself (without JavaScript). */
function ReloadSoon() {
  return <meta http-equiv="refresh" content={String(PREPARING_RETRY_SECONDS)} />;
}

/** Renders the learned-model page (`summary` undefined: the model is still being prepared). */
export function learnedModelPage({ summary, csrf }: { summary: LearnedSummary | undefined; csrf: string }) {
  const back = FOR_YOU_URLS.model;
  return (
    <Layout title="What your recommendations have learned" canonical={FOR_YOU_URLS.model} head={summary ? undefined : <ReloadSoon />}>
      <header class="period-head">
        <p class="eyebrow">Yours</p>
        <h1>What your recommendations have learned</h1>
        <p class="stats">
          {summary && `From ${summary.counts.positives} papers you saved, upvoted or asked more of, and ${summary.counts.negatives} you were not interested in. `}
          <a href={FOR_YOU_URLS.page}>Back to For you</a>
        </p>
      </header>
      {summary ? <Learned summary={summary} csrf={csrf} back={back} /> : (
        <Preparing what="Your model is" />
      )}
    </Layout>
  );
}

/** What the learned-model page lists (recommend.service.ts#learnedSummary). */
type LearnedSummary = NonNullable<Awaited<ReturnType<typeof learnedSummary>>>;

function Learned({ summary, csrf, back }: { summary: LearnedSummary; csrf: string; back: string }) {
  const { mutes } = summary;
  const never = [
    ...summary.mutedPapers.map((p) => ({ kind: 'paper', value: p.id, text: <SignalPaperTitle id={p.id} title={p.title} /> })),
    ...mutes.authors.map((a) => ({ kind: 'author', value: a, text: <>author {a}</> })),
    ...mutes.terms.map((t) => ({ kind: 'term', value: t, text: <>“{t}”</> })),
  ];
  return (
    <section class="learned">
      <h2>Terms that count for a paper</h2>
      <p>{summary.positive.length ? summary.positive.map((t) => t.term).join(', ') : 'None yet.'}</p>
      <h2>Terms that count against</h2>
      <p>{summary.negative.length ? summary.negative.map((t) => t.term).join(', ') : 'None yet.'}</p>
      <h2>Seed papers</h2>
      <ul>
        {summary.seeds.map((s) => (
          <li>
            <SignalPaperTitle id={s.id} title={s.title} /> <span class="muted">({seedKindText(s.kind)})</span>{' '}
            <SteerButton csrf={csrf} kind="paper" value={s.id} label="don’t use this paper" back={back} />
          </li>
        ))}
      </ul>
      {summary.avoided.length > 0 && (
        <>
          <h2>Not interested</h2>
          <ul>
            {summary.avoided.map((s) => (
              <li>{s.title}</li>
            ))}
          </ul>
        </>
      )}
      <h2>Never used</h2>
      {never.length ? (
        <ul class="never-used">
          {never.map((n) => (
            <li>
              {n.text} <SteerButton csrf={csrf} kind={n.kind} value={n.value} label="use again" back={back} undo />
            </li>
          ))}
        </ul>
      ) : (
        <p>Nothing.</p>
      )}
      <h2>Categories</h2>
      <p>{[...summary.follows.categories.map((c) => `${c} (followed)`), ...summary.categories.filter((c) => c.lift > 0).map((c) => c.category)].join(', ') || 'None yet.'}</p>
      <form method="post" action={FOR_YOU_URLS.reset}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button type="submit" class="danger">
          Reset: forget what it learned
        </button>
        <p class="muted">Your votes, collections and follows stay; recommendations then learn only from what you do from now on.</p>
      </form>
    </section>
  );
}
