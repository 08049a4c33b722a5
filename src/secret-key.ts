/** The key that signs links in mails and forms: SECRET_KEY, or one generated once and kept under DATA_DIR. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';

/** File under DATA_DIR that holds the generated key when SECRET_KEY is unset. */
export const SECRET_KEY_FILE_NAME = 'secret-key';

/**
 * Fills `config.secretKey`: SECRET_KEY (or SECRET_KEY_FILE) when set, else the key stored under DATA_DIR,
 * generating and persisting one (mode 0600) on first use and saying so in the log. Links signed with it stay
 * valid across restarts; deleting the file (or changing SECRET_KEY) invalidates every link sent so far.
 */
export function withSecretKey(config: Config, log: (line: string) => void = console.log): Config {
  if (config.secretKey) return config;
  const file = path.join(config.dataDir, SECRET_KEY_FILE_NAME);
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    log(`Generated a secret key for signed links at ${file} (set SECRET_KEY or SECRET_KEY_FILE to choose your own).`);
  } catch (err) {
    // Another process (or an earlier run) created it first: use that one.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = fs.readFileSync(file, 'utf8').trim();
  if (key.length < 32) throw new Error(`secret key: ${file} holds fewer than 32 characters; delete it to generate a new one`);
  return { ...config, secretKey: key };
}

// Only for an app built without withSecretKey (tests): links then work until the process ends.
const ephemeralKey = randomBytes(32).toString('hex');

/** The key to sign with: the configured one, or a per-process key when none was resolved. */
export function secretKeyOf(config: Config): string {
  return config.secretKey ?? ephemeralKey;
}
