/** A loopback SMTP sink in its own process for `npm run bench:digest`: prints its port, counts messages, reports on SIGTERM. */
import { startSmtpSink } from '../test/smtp-sink.ts';

const sink = await startSmtpSink({ parse: false });
console.log(`PORT ${sink.port}`);
process.on('SIGTERM', async () => {
  console.log(`RECEIVED ${sink.received.length}`);
  await sink.close();
  process.exit(0);
});
