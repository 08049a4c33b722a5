/** Shared by the sources tests: a configuration pointed at a replay, a simulated clock, the runner on it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { OaiReplay } from '../fetch/oai-replay.ts';
import { ClientPool } from './clients.ts';
import { runDueSources, type RunReport } from './runner.ts';

/** A configuration whose endpoints are the replay's, with quick request spacing and a short backfill. */
export function replayConfig(replay: Pick<OaiReplay, 'oaiUrl' | 'apiUrl' | 'baseUrl'>, env: Record<string, string> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-sources-'));
  return loadConfig({
    DATA_DIR: dataDir,
    ARXIV_OAI_URL: replay.oaiUrl,
    ARXIV_API_URL: replay.apiUrl,
    HF_API_URL: `${replay.baseUrl}/api`,
    ARXIV_REQUEST_INTERVAL_MS: '0',
    FETCH_BACKFILL_DAYS: '2',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/** Clients that retry quickly: the tests check what is retried, not how long the waits are. */
export function quickClients(config: Config): ClientPool {
  return new ClientPool(config.sources, { backoffMs: 5, retries: 2, timeoutMs: 10_000 });
}

/** A clock the test moves by hand. */
export class Clock {
  constructor(public at: Date) {}
  now = () => this.at;
  /** Moves on by `minutes`; returns the clock, so `tick(…, clock.advance(30))` reads as it runs. */
  advance(minutes: number): this {
    this.at = new Date(this.at.getTime() + minutes * 60_000);
    return this;
  }
}

/** Runs what is due at the clock's time, as the server's job does at each tick. */
export function tick(db: Db, config: Config, clients: ClientPool, clock: Clock, opts: { leaseSeconds?: number } = {}): Promise<RunReport[]> {
  return runDueSources({ db, config, clients, now: clock.now, leaseSeconds: opts.leaseSeconds });
}
