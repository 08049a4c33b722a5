/** What the collection pages and their JSON twins share: the arXiv client of imports, paper references, upload reading. */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ImportDeps } from '../../collections/import.service.ts';
import { IMPORT_LIMITS } from '../../collections/import.service.ts';
import type { Db } from '../../db/database.ts';
import { PoliteHttpClient, userAgentWith } from '../../fetch/http.ts';
import { findPaperId } from '../../papers/papers.repo.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse } from '../errors.ts';
import { parsePaperRef } from '../urls.ts';

const clients = new WeakMap<object, PoliteHttpClient>();

/**
 * What an import needs from the app: the store and arXiv's API (ARXIV_API_URL). One client per app, so every
 * import of this process keeps arXiv's spacing (ARXIV_REQUEST_INTERVAL_MS) with the others; a reader waits
 * for a retry at most once.
 */
export function importDeps({ db, config }: Pick<AppDeps, 'db' | 'config'>): ImportDeps {
  let client = clients.get(config);
  if (!client) {
    client = new PoliteHttpClient({ minDelayMs: config.sources.arxivIntervalMs, retries: 1, backoffMs: 1000, timeoutMs: 20_000, userAgent: userAgentWith(config.sources.contact) });
    clients.set(config, client);
  }
  return { db, arxiv: { baseUrl: config.sources.arxivApiUrl, client } };
}

/** The paper a reference names (an arXiv id or URL, `id/N`, or this site's paper URL), if the store has it. */
export async function paperIdFromRef(db: Db, raw: string): Promise<number | undefined> {
  const text = raw.trim();
  const local = /^https?:\/\/[^/]+\/papers\/(.+?)\/?$/.exec(text)?.[1];
  let ref;
  try {
    ref = parsePaperRef(local ? decodeURIComponent(local) : text);
  } catch {
    return undefined;
  }
  return ref && findPaperId(db.kysely, 'id' in ref ? { id: ref.id } : { arxivId: ref.arxivId });
}

/** Refuses an upload larger than an import may be before reading it (the form's other fields fit in the slack). */
export const uploadLimit = bodyLimit({
  maxSize: IMPORT_LIMITS.bytes + 64 * 1024,
  onError: (c: Context) => errorResponse(c, 400, 'The file is larger than 1 MB: at most 1 MB can be imported at once.') as Response,
});

/** The uploaded file of a form's `file` field as text (strict UTF-8), or a reason it cannot be read. */
export async function uploadedText(c: Context): Promise<{ name: string; text: string } | { error: string }> {
  const file = (await c.req.parseBody())['file'];
  if (!(file instanceof File) || file.size === 0) return { error: 'Choose a BibTeX, RIS or CSL-JSON file to import.' };
  if (file.size > IMPORT_LIMITS.bytes) return { error: `${file.name || 'The file'} is larger than 1 MB: at most 1 MB can be imported at once.` };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
    return { name: (file.name || 'the file').replace(/[^\p{L}\p{N} ._()-]/gu, '').slice(0, 100) || 'the file', text };
  } catch {
    return { error: `${file.name || 'The file'} is not UTF-8 text. Export it again as UTF-8.` };
  }
}
