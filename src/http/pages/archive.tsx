/** The archive: month by month, each listing day with its count. */
import type { ArchiveMonth } from '../../listings/listings.service.ts';
import { parsePeriod, periodLabel, periodOf } from '../../listings/period.ts';
import { periodUrl } from '../urls.ts';
import { formatCount } from './format.ts';
import { Layout } from './layout.tsx';
import { EmptyList } from './list-parts.tsx';

const WEEKDAY = new Intl.DateTimeFormat('en', { weekday: 'short', timeZone: 'UTC' });
const dayOfMonth = (day: string) => `${WEEKDAY.format(Date.parse(`${day}T00:00:00Z`))} ${Number(day.slice(8))}`;

/** Renders the archive page. */
export function archivePage(months: ArchiveMonth[]) {
  const total = months.reduce((sum, m) => sum + m.count, 0);
  return (
    <Layout title="Archive" section="archive">
      <h1 class="page-title">Archive</h1>
      <p class="stats">
        {formatCount(total)} listed papers in {formatCount(months.length)} {months.length === 1 ? 'month' : 'months'}
      </p>
      {months.length === 0 && (
        <EmptyList title="No listed papers yet">
          <p>Papers appear here by the day they were listed, once imported.</p>
        </EmptyList>
      )}
      {months.map((m) => {
        const period = parsePeriod('month', m.month)!;
        return (
          <section class="archive-month" aria-labelledby={`m-${m.month}`}>
            <h2 id={`m-${m.month}`}>
              <a href={periodUrl(period)}>{periodLabel(period)}</a> <span class="muted">{formatCount(m.count)} {m.count === 1 ? 'paper' : 'papers'}</span>
            </h2>
            <ul class="archive-days">
              {[...m.days].reverse().map((d) => (
                <li>
                  <a href={periodUrl(periodOf('day', d.day))}>
                    <span class="day">{dayOfMonth(d.day)}</span> <span class="count">{formatCount(d.count)}</span>
                    <span class="sr-only"> {d.count === 1 ? 'paper' : 'papers'}</span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </Layout>
  );
}
