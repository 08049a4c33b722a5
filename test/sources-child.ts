/**
 * Child process of the resume and race tests: runs the due sources of the store named by PAPERBOY_TEST_TARGET
 * (a DbTarget as JSON) at the simulated instant PAPERBOY_TEST_NOW, as `paperboy serve`'s job would, until it
 * is killed. With PAPERBOY_TEST_WAIT_GO set it waits for a line on stdin first, so that two children that
 * took different times to start still begin at the same moment.
 */
import { loadConfig } from '../src/config.ts';
import { openDb } from '../src/db/database.ts';
import { ClientPool } from '../src/sources/clients.ts';
import { runDueSources } from '../src/sources/runner.ts';

const config = loadConfig();
const db = openDb(JSON.parse(process.env.PAPERBOY_TEST_TARGET!));
const now = new Date(process.env.PAPERBOY_TEST_NOW!);
console.log('started');
if (process.env.PAPERBOY_TEST_WAIT_GO) {
  await new Promise((resolve) => process.stdin.once('data', resolve));
  // A stdin still being read would keep the process alive after its run.
  process.stdin.destroy();
}
const reports = await runDueSources({ db, config, clients: new ClientPool(config.sources, { retries: 0 }), now: () => now });
console.log(`finished: ${JSON.stringify(reports)}`);
await db.close();
