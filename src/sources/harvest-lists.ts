/**
 * Harvesting the sources that are lists rather than archives: the Hugging Face daily papers (one request per
 * day, the last settled day read again for its votes) and RSS/Atom feeds (one conditional request: a feed
 * unchanged since the last run answers 304 and costs nothing). A weekday list or a feed that comes back
 * empty is a warning, not a success.
 */
import { utcDay } from '../digest/calendar.ts';
import { fetchHfDaily } from '../fetch/hf.ts';
import { addDays } from '../listings/period.ts';
import { isExpectedListingDay } from './calendar.ts';
import { countDays, writePage, type Harvester } from './harvest.ts';

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/** Hugging Face daily papers, day by day from the plan's first day to today. */
export const harvestHfDaily: Harvester = async (io, _source, plan) => {
  const today = utcDay(io.now());
  const days: Record<string, number> = {};
  for (let day = plan.from; day <= today; day = addDays(day, 1)) {
    const { url, events } = await fetchHfDaily({ date: day, apiUrl: io.endpoints.hfApi, client: io.client, parse: io.parse });
    const report = await writePage(io, events, url, 'hf-daily');
    countDays(days, events);
    days[day] ??= 0;
    await io.committed({ report, requests: 1 });
  }
  // Today's list fills during the day; an earlier weekday arXiv listed papers on should have some.
  const empty = Object.keys(days).filter((day) => day < today && days[day] === 0 && isExpectedListingDay(io.cal, day));
  return {
    status: empty.length ? 'warning' : 'success',
    via: 'hf',
    message: empty.length ? `the daily list of ${empty.join(', ')} is empty` : undefined,
    patch: { completed_through: today },
  };
};

/** An RSS or Atom feed, asked for only if it changed since the last answer. */
export const harvestFeed: Harvester = async (io, source) => {
  const answer = await io.client.getConditional(source.target, { etag: source.http_etag ?? undefined, lastModified: source.http_last_modified ?? undefined }, { Accept: FEED_ACCEPT });
  const patch = { completed_through: utcDay(io.now()), http_etag: answer.etag ?? null, http_last_modified: answer.lastModified ?? null };
  if (answer.status === 304) {
    await io.committed({ requests: 1 });
    return { status: 'success', via: 'feed', message: 'not modified since the last run', patch };
  }
  // The whole document is checked before anything is written: garbage fails the run, nothing half-imported.
  const { events } = await io.parse('feed', answer.body ?? '', source.target);
  await io.committed({ report: await writePage(io, events, source.target, 'feed'), requests: 1 });
  return events.length === 0
    ? { status: 'warning', via: 'feed', message: 'the feed lists no entries', patch }
    : { status: 'success', via: 'feed', patch };
};
