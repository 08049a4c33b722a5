/**
 * Child process of the fault tests: prepares a day's digests like `paperboy digest run` does, in batches of 5,
 * and kills itself (SIGKILL, no clean-up) once CRASH_AFTER subscribers are prepared.
 */
import { loadConfig } from '../src/config.ts';
import { openConfiguredDb } from '../src/db/open.ts';
import { prepareDigests } from '../src/digest/prepare.ts';

const config = loadConfig();
const db = await openConfiguredDb(config);
const crashAfter = Number(process.env.CRASH_AFTER);
await prepareDigests(db, config.digest, process.argv[2], {
  sendNow: true,
  batchSize: 5,
  leaseSeconds: config.mail.leaseSeconds,
  onBatch: (prepared) => {
    if (prepared >= crashAfter) process.kill(process.pid, 'SIGKILL');
  },
});
console.log('not killed');
