/**
 * Child process of the resume test: runs the due sources of the store named by PAPERBOY_TEST_TARGET (a
 * DbTarget as JSON) at the instant PAPERBOY_TEST_NOW, as `paperboy serve`'s job would, until it is killed.
 */
import { loadConfig } from '../src/config.ts';
import { openDb } from '../src/db/database.ts';
import { ClientPool } from '../src/sources/clients.ts';
import { runDueSources } from '../src/sources/runner.ts';

const config = loadConfig();
const db = openDb(JSON.parse(process.env.PAPERBOY_TEST_TARGET!));
const now = new Date(process.env.PAPERBOY_TEST_NOW!);
console.log('started');
const reports = await runDueSources({ db, config, clients: new ClientPool(config.sources, { retries: 0 }), now: () => now });
console.log(`finished: ${JSON.stringify(reports)}`);
await db.close();
