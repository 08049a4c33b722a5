/**
 * The API document as the app makes it, without a database: what `npm run openapi` writes to docs/openapi.json
 * and what the drift test compares with it and with the app's routes.
 */
import { loadConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';

/** The committed snapshot, relative to the repository root. */
export const SNAPSHOT_PATH = 'docs/openapi.json';

// Making the document runs no query. Route modules keep handles (`db.kysely`) when they are built, so the
// stand-in hands out itself for any property and throws only when something is called on it.
const noDatabase: Db = new Proxy(() => {}, {
  get: (_, name): unknown => (name === 'then' ? undefined : noDatabase),
  apply() {
    throw new Error('openapi: the document was about to query the database; it must come from the route declarations alone');
  },
}) as unknown as Db;

/** The app, built as the server builds it but with no database behind it. */
export function appWithoutDatabase() {
  return createApp({ db: noDatabase, config: { ...loadConfig({}), logLevel: 'silent' }, cacheTtlMs: 0 });
}

/** The document /api/openapi.json serves, as the text the snapshot holds (two-space JSON and a final newline). */
export async function documentText(app = appWithoutDatabase()): Promise<string> {
  const res = await app.request('/api/openapi.json');
  if (res.status !== 200) throw new Error(`openapi: /api/openapi.json answered ${res.status}`);
  return `${JSON.stringify(await res.json(), null, 2)}\n`;
}
