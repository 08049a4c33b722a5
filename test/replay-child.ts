/**
 * The OAI-PMH replay in a process of its own: for the tests that time the event loop (rendering a 2 MB page
 * in the test's own process would be counted against the harvest), and for trying `npm start` against it by
 * hand (README, "Keeping the store up to date"). Prints the replay's base URL, then serves until killed.
 * REPLAY_DAYS (comma-separated), REPLAY_PER_DAY and REPLAY_PAGE_SIZE say what it holds; REPLAY_CATEGORIES
 * (`cs.LG stat.ML`) re-files the captured records; REPLAY_PORT picks the port (default: any free one);
 * REPLAY_ON_TIME holds each day back until its announcement; REPLAY_LOG prints each request.
 */
import { newPapers, startOaiReplay } from '../src/fetch/oai-replay.ts';
import { announcementOf } from '../src/sources/calendar.ts';

const replay = await startOaiReplay({
  records: newPapers(process.env.REPLAY_DAYS!.split(','), Number(process.env.REPLAY_PER_DAY), process.env.REPLAY_CATEGORIES || undefined),
  pageSize: Number(process.env.REPLAY_PAGE_SIZE || 1000),
  // As arXiv: a day's records appear with its announcement (20:00 US Eastern the evening before), not earlier.
  available: process.env.REPLAY_ON_TIME ? (day) => announcementOf(day) <= new Date() : undefined,
  port: process.env.REPLAY_PORT ? Number(process.env.REPLAY_PORT) : undefined,
  // Each request on a line, so someone watching sees when the scheduler asks what.
  intercept: process.env.REPLAY_LOG ? (url) => void console.log(`${new Date().toISOString()} ${url.pathname}${url.search}`) : undefined,
});
console.log(replay.baseUrl);
