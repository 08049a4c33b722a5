/**
 * The secrets Paperboy can make for itself, kept under DATA_DIR when not configured: the key that signs
 * links in mails and forms (SECRET_KEY), and the token that opens /admin (ADMIN_TOKEN).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';

/** File under DATA_DIR that holds the generated key when SECRET_KEY is unset. */
export const SECRET_KEY_FILE_NAME = 'secret-key';
/** File under DATA_DIR that holds the generated admin token when ADMIN_TOKEN is unset. */
export const ADMIN_TOKEN_FILE_NAME = 'admin-token';

/** The secret in DATA_DIR/name, generated and persisted (mode 0600) on first use, which `announce` logs. */
function storedSecret(dataDir: string, name: string, minLength: number, announce: (file: string) => string, log: (line: string) => void): string {
  const file = path.join(dataDir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  // Written whole under a private name, then linked into place: link() fails if the name exists, so a
  // second process starting at the same moment either wins or reads the first one's complete secret.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(draft, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    fs.linkSync(draft, file);
    log(announce(file));
  } catch (err) {
    // Another process (or an earlier run) created it first: use that one.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(draft, { force: true });
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < minLength) throw new Error(`${name}: ${file} holds fewer than ${minLength} characters; delete it to generate a new one`);
  return secret;
}

/**
 * Fills `config.secretKey`: SECRET_KEY (or SECRET_KEY_FILE) when set, else the key stored under DATA_DIR,
 * generating and persisting one (mode 0600) on first use and saying so in the log. Links signed with it stay
 * valid across restarts; deleting the file (or changing SECRET_KEY) invalidates every link sent so far.
 */
export function withSecretKey(config: Config, log: (line: string) => void = console.log): Config {
  if (config.secretKey) return config;
  const key = storedSecret(config.dataDir, SECRET_KEY_FILE_NAME, 32, (file) => `Generated a secret key for signed links at ${file} (set SECRET_KEY or SECRET_KEY_FILE to choose your own).`, log);
  return { ...config, secretKey: key };
}

/**
 * Fills `config.adminToken` for `paperboy serve`: ADMIN_TOKEN when set, else the token stored under
 * DATA_DIR (generated once, mode 0600), marked `generated` so start-up prints it as a sign-in link.
 * Deleting the file (or changing ADMIN_TOKEN) signs every admin session out.
 */
export function withAdminToken(config: Config, log: (line: string) => void = console.log): Config {
  if (config.adminToken) return config;
  const token = storedSecret(config.dataDir, ADMIN_TOKEN_FILE_NAME, 16, (file) => `Generated an admin token at ${file} (set ADMIN_TOKEN or ADMIN_TOKEN_FILE to choose your own).`, log);
  return { ...config, adminToken: token, adminTokenSource: 'generated' };
}

// Only for an app built without withSecretKey (tests): links then work until the process ends.
const ephemeralKey = randomBytes(32).toString('hex');

/** The key to sign with: the configured one, or a per-process key when none was resolved. */
export function secretKeyOf(config: Config): string {
  return config.secretKey ?? ephemeralKey;
}
