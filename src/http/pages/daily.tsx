/** Daily Papers: the papers of one listing day, week or month, with navigation, sorting and filters. */
import type { PeriodListing } from '../../listings/listings.service.ts';
import { type Period, type PeriodKind, isWeekend, periodKey, periodLabel, periodOf, weekdayName } from '../../listings/period.ts';
import type { Paper } from '../../papers/paper.ts';
import { PAGE_SIZE, type ListQuery, periodPickerUrl, periodUrl } from '../urls.ts';
import { formatCount, formatDay } from './format.ts';
// 20:00 US Eastern the evening before: 00:00 UTC in summer, 01:00 in winter.
import { announcementOf } from '../../sources/calendar.ts';
import { Layout } from './layout.tsx';
import { dailyFeedUrl, feedLinks } from '../feed-urls.ts';
import { FilterBar, withoutFilter } from './filter-parts.tsx';
import { EmptyList, Pager, PaperList } from './list-parts.tsx';
import { CommunityPicks } from './picks.tsx';

/** What the daily page needs besides the listing. */
export interface DailyView {
  /** `picks`: the period's community picks (page 1; empty or absent when there are none). */
  listing: PeriodListing & { picks?: Paper[] };
  query: ListQuery;
  /** The start page shows the newest day under "/". */
  home: boolean;
  isNew: (paper: Paper) => boolean;
}

const KIND_LABEL: Record<PeriodKind, string> = { day: 'Day', week: 'Week', month: 'Month' };

function shortLabel(p: Period): string {
  if (p.kind === 'day') return formatDay(p.day);
  if (p.kind === 'week') return `Week ${p.week}, ${p.year}`;
  return periodLabel(p);
}

/** Renders a day, week or month of papers (the start page is the newest day). */
export function dailyPage({ listing, query, home, isNew }: DailyView) {
  const { period, from } = listing;
  const label = periodLabel(period);
  const filtered = ['cat', 'notcat', 'org', 'notorg'].some((k) => (query[k as keyof ListQuery] as string[] | undefined)?.length);
  const href = (q: ListQuery) => periodUrl(period, q);
  // A tab or bookmark should say which day and page it holds, the start page included.
  const title = `Daily Papers: ${label}${listing.page > 1 ? `, page ${listing.page}` : ''}`;
  if (isStoreEmpty(listing)) {
    return (
      <Layout section="daily">
        <h1 class="page-title">Daily Papers</h1>
        <EmptyStore />
      </Layout>
    );
  }
  return (
    <Layout title={title} section={home ? 'daily' : 'none'} canonical={href(query)} feeds={feedLinks('Daily papers', (f) => dailyFeedUrl(home || period.kind !== 'day' ? undefined : period.day, f))}>
      <header class="period-head">
        <p class="eyebrow">{home ? 'Daily Papers · the newest listing' : `Daily Papers · ${KIND_LABEL[period.kind].toLowerCase()}`}</p>
        <h1>{label}</h1>
        <p class="stats">
          {formatCount(listing.total)} {listing.total === 1 ? 'paper' : 'papers'}
          {filtered && ' matching the filters'}
          {period.kind === 'day' && listing.total > 0 && (
            <>
              {' '}
              · announced <time datetime={announcementOf(period.day).toISOString().replace(".000Z", "Z")} data-local>{`${formatDay(period.day)}, ${announcementOf(period.day).toISOString().slice(11, 16)} UTC`}</time>
            </>
          )}
        </p>
        <nav class="period-nav" aria-label={`Previous and next ${period.kind}`}>
          {listing.prev ? (
            <a href={periodUrl(listing.prev, { ...query, page: 1 })} rel="prev">
              ← {shortLabel(listing.prev)}
            </a>
          ) : (
            <span class="spacer" />
          )}
          <ul class="views" aria-label="View">
            {(['day', 'week', 'month'] as const).map((kind) => {
              const target = periodOf(kind, from);
              return (
                <li>
                  <a href={periodUrl(target, { ...query, page: 1 })} aria-current={kind === period.kind ? 'page' : undefined}>
                    {KIND_LABEL[kind]}
                  </a>
                </li>
              );
            })}
          </ul>
          {listing.next ? (
            <a href={periodUrl(listing.next, { ...query, page: 1 })} rel="next">
              {shortLabel(listing.next)} →
            </a>
          ) : (
            <span class="spacer" />
          )}
        </nav>
        <form class="date-picker" method="get" action={periodPickerUrl('day')}>
          <label for="date">Go to a day</label>
          <input type="date" id="date" name="date" value={from} max={listing.latestDay} required />
          <button type="submit">Go</button>
        </form>
      </header>
      <FilterBar
        choices={{
          action: periodUrl(period),
          query,
          sortable: true,
          categories: listing.categories,
          organizations: listing.organizations,
          without: (key, value) => href(withoutFilter(query, key, value)),
          cleared: href({ sort: query.sort }),
        }}
      />
      <CommunityPicks papers={listing.picks ?? []} />
      {listing.papers.length > 0 ? (
        <PaperList papers={listing.papers} start={(listing.page - 1) * PAGE_SIZE + 1} options={{ isNew }} />
      ) : filtered ? (
        <EmptyList title="No papers match these filters">
          <p>
            <a href={href({ sort: query.sort })}>Show every paper of this {period.kind}</a>
          </p>
        </EmptyList>
      ) : (
        <NoPapers listing={listing} />
      )}
      <Pager page={listing.page} pageCount={listing.pageCount} href={(page) => href({ ...query, page })} />
    </Layout>
  );
}

function isStoreEmpty(listing: PeriodListing): boolean {
  return listing.total === 0 && !listing.latestDay && !listing.prev && !listing.next;
}

function EmptyStore() {
  return (
    <EmptyList title="No papers yet">
      <p>This Paperboy store is empty. Import a file of papers (arXiv metadata, Hugging Face Daily Papers or JSON Lines) with:</p>
      <pre>
        <code>npx paperboy import FILE</code>
      </pre>
      <p>Then reload this page.</p>
    </EmptyList>
  );
}

/** "No new papers" for a weekend, holiday or a period not imported, with the way to days that have some. */
function NoPapers({ listing }: { listing: PeriodListing }) {
  const { period } = listing;
  const weekend = period.kind === 'day' && isWeekend(period.day);
  const latest = listing.latestDay ? periodOf('day', listing.latestDay) : undefined;
  // After the newest listing, the nearest earlier period is just the newest one again, not "the day before".
  const afterLatest = listing.latestDay !== undefined && listing.from > listing.latestDay;
  return (
    <EmptyList title={period.kind === 'day' ? 'No new papers on this day' : `No papers in this ${period.kind}`}>
      <p>
        {weekend
          ? `arXiv does not announce new papers on ${weekdayName(period.day)}s: listings appear Monday to Friday.`
          : afterLatest
            ? `Nothing is listed for this ${period.kind} yet: it comes after the newest listing in this store.`
            : period.kind === 'day'
              ? 'Nothing was announced on this day — an arXiv holiday, or a day this store has not imported.'
              : 'This store has no papers listed in this period.'}
      </p>
      <ul>
        {latest && periodKey(latest) !== periodKey(period) && (
          <li>
            The latest day with papers: <a href={periodUrl(latest)}>{periodLabel(latest)}</a>
          </li>
        )}
        {listing.prev && !afterLatest && (
          <li>
            The previous {period.kind} with papers: <a href={periodUrl(listing.prev)}>{periodLabel(listing.prev)}</a>
          </li>
        )}
        {listing.next && (
          <li>
            The next {period.kind} with papers: <a href={periodUrl(listing.next)}>{periodLabel(listing.next)}</a>
          </li>
        )}
      </ul>
    </EmptyList>
  );
}
