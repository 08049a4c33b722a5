/**
 * The OAI-PMH replay in a process of its own, for the tests that time the event loop: rendering a 2 MB page
 * in the test's own process would be counted against the harvest. Prints the replay's base URL, then serves
 * until killed. REPLAY_DAYS (comma-separated), REPLAY_PER_DAY and REPLAY_PAGE_SIZE say what it holds.
 */
import { newPapers, startOaiReplay } from '../src/fetch/oai-replay.ts';

const replay = await startOaiReplay({
  records: newPapers(process.env.REPLAY_DAYS!.split(','), Number(process.env.REPLAY_PER_DAY)),
  pageSize: Number(process.env.REPLAY_PAGE_SIZE),
});
console.log(replay.baseUrl);
