/**
 * A replay of arXiv's OAI-PMH and search API on a real local HTTP server, for the tests of scheduled
 * ingestion. Its records are the real records of the captured hep-ex ListRecords response
 * (test/fixtures/arxiv_oai_pmh/2017-12_ListRecords_arXiv_set-physics-hep-ex.xml: titles, authors,
 * abstracts, comments, journal references, DOIs as arXiv sent them), given new ids and re-dated onto the
 * listing days a test needs, and served the way the real server serves them: `from`/`until` on the
 * datestamp, pages of `pageSize` chained by resumption tokens, `noRecordsMatch`, `badResumptionToken`, in
 * the `arXiv` format as captured or in `arXivRaw` (the same fields, with a numbered, dated version list —
 * no arXivRaw capture was available). The variations tests need are hooks: a day not out yet (`available`),
 * and any scripted reply in front of the normal one (`intercept`: a 503 with Retry-After, a malformed page,
 * a hang). `/api/query` answers with Atom entries built from the same records.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { escapeHtml as esc } from '../http/pages/escape.ts';
import { cleanOf, listOf, loadXml, textOf, type XmlNode } from '../importers/xml.ts';
import { oaiSetFor } from './arxiv.ts';
import { startTestServer, type ScriptedReply, type TestServer } from './test-server.ts';

const CAPTURE = path.resolve(import.meta.dirname, '../../test/fixtures/arxiv_oai_pmh/2017-12_ListRecords_arXiv_set-physics-hep-ex.xml');

/** The text of one captured record. */
interface Template {
  names: { keyname: string; forenames: string }[];
  title: string;
  categories: string;
  comments?: string;
  journalRef?: string;
  doi?: string;
  abstract: string;
}

function loadTemplates(): Template[] {
  const doc = loadXml(readFileSync(CAPTURE, 'utf8'), CAPTURE);
  const records = listOf(((doc['OAI-PMH'] as XmlNode).ListRecords as XmlNode).record) as XmlNode[];
  return records.map((r) => {
    const m = (r.metadata as XmlNode).arXiv as XmlNode;
    return {
      names: listOf((m.authors as XmlNode).author).map((a) => ({ keyname: cleanOf((a as XmlNode).keyname) ?? '', forenames: cleanOf((a as XmlNode).forenames) ?? '' })),
      title: textOf(m.title)!,
      categories: cleanOf(m.categories)!,
      comments: textOf(m.comments),
      journalRef: textOf(m['journal-ref']),
      doi: textOf(m.doi),
      abstract: textOf(m.abstract)!,
    };
  });
}

/** The captured records, in their order. */
export const TEMPLATES: readonly Template[] = loadTemplates();

/** One record the replay serves: a captured one (`template`) under a new id, dated onto a listing day. */
export interface ReplayRecord {
  id: string;
  /** The day the record (last) changed: its listing day for a first version, the revision's day for a later one. */
  datestamp: string;
  template: number;
  /** Submission time of each version, v1 first (ISO timestamps); sizes say "0kb" for a withdrawal. */
  versions: { submitted: string; size?: string }[];
  /** Replace the captured text (a new version with a new title or abstract, a withdrawal comment). */
  title?: string;
  abstract?: string;
  comments?: string;
  /** Replace the captured categories (space-separated, primary first), to serve another archive than hep-ex. */
  categories?: string;
}

/**
 * New first-version papers for each day: `perDay` records, ids derived from the day (2509.15000 is the first
 * of 15 September 2025), in the captured categories or in `categories` (`cs.LG stat.ML`).
 */
export function newPapers(days: string[], perDay: number, categories?: string): ReplayRecord[] {
  return days.flatMap((day) =>
    Array.from({ length: perDay }, (_, i) => ({
      id: `${day.slice(2, 4)}${day.slice(5, 7)}.${day.slice(8, 10)}${String(i).padStart(3, '0')}`,
      datestamp: day,
      template: i % TEMPLATES.length,
      // Submitted the evening before (Eastern): before the cut-off of the announcement that lists it.
      versions: [{ submitted: `${prevDay(day)}T15:00:00Z` }],
      ...(categories ? { categories } : {}),
    })),
  );
}

function prevDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** What a test controls of the replay. */
export interface OaiReplayOptions {
  records: ReplayRecord[];
  pageSize?: number;
  /** The port to listen on (default: any free one). */
  port?: number;
  /** Whether records of a datestamp are out yet (default: all are); a late day answers without them. */
  available?: (datestamp: string) => boolean;
  /** A scripted reply in front of the normal one (a 503, a malformed page, 'hang'), or undefined for the normal one. */
  intercept?: (url: URL, index: number) => ScriptedReply | undefined;
}

/** A running replay: the server, its records (tests may add to them) and the tokens it handed out. */
export interface OaiReplay extends TestServer {
  records: ReplayRecord[];
  oaiUrl: string;
  apiUrl: string;
  /** The resumption token each served page ended with, in order. */
  tokens: string[];
}

/** Starts the replay. */
export async function startOaiReplay(opts: OaiReplayOptions): Promise<OaiReplay> {
  const pageSize = opts.pageSize ?? 1000;
  const lists = new Map<string, { prefix: string; records: ReplayRecord[] }>();
  const tokens: string[] = [];
  const records = opts.records;
  const server = await startTestServer((url, index) => {
    const scripted = opts.intercept?.(url, index);
    if (scripted) return scripted;
    if (url.pathname === '/api/query') return { status: 200, body: atomPage(records.filter((r) => opts.available?.(r.datestamp) ?? true)), headers: { 'Content-Type': 'application/atom+xml' } };
    const q = url.searchParams;
    let list: { prefix: string; records: ReplayRecord[] } | undefined;
    let offset = 0;
    const token = q.get('resumptionToken');
    if (token) {
      const [listId, at] = token.split('|');
      list = lists.get(listId);
      offset = Number(at);
      if (!list) return oai(`<error code="badResumptionToken">The value of the resumptionToken argument is invalid or expired.</error>`);
    } else {
      const from = q.get('from') ?? '0000';
      const until = q.get('until') ?? '9999';
      const picked = records
        .filter((r) => r.datestamp >= from && r.datestamp <= until && (opts.available?.(r.datestamp) ?? true))
        .sort((a, b) => a.datestamp.localeCompare(b.datestamp) || a.id.localeCompare(b.id));
      if (picked.length === 0) return oai('<error code="noRecordsMatch">The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list.</error>');
      list = { prefix: q.get('metadataPrefix') ?? 'arXiv', records: picked };
      lists.set(String(lists.size + 1), list);
    }
    const listId = [...lists].find(([, l]) => l === list)![0];
    const page = list.records.slice(offset, offset + pageSize);
    const more = offset + pageSize < list.records.length;
    const next = more ? `${listId}|${offset + pageSize}` : '';
    tokens.push(next);
    const tokenXml = `<resumptionToken cursor="${offset}" completeListSize="${list.records.length}">${esc(next)}</resumptionToken>`;
    const body = page.map((r) => recordXml(r, list!.prefix)).join('\n');
    return oai(`<ListRecords>\n${body}\n${offset === 0 && !more ? '' : tokenXml}</ListRecords>`);
  }, opts.port);
  return Object.assign(server, { records, oaiUrl: `${server.baseUrl}/oai2`, apiUrl: `${server.baseUrl}/api/query`, tokens });
}

function oai(inner: string): ScriptedReply {
  return { status: 200, body: `<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">\n<responseDate>${new Date().toISOString().slice(0, 19)}Z</responseDate>\n${inner}\n</OAI-PMH>\n` };
}

function textFields(r: ReplayRecord) {
  const t = TEMPLATES[r.template];
  return { ...t, title: r.title ?? t.title, abstract: r.abstract ?? t.abstract, comments: r.comments ?? t.comments, categories: r.categories ?? t.categories };
}

/** One record in the asked format, as arXiv spells it. */
function recordXml(r: ReplayRecord, prefix: string): string {
  const t = textFields(r);
  const optional = [['comments', t.comments], ['journal-ref', t.journalRef], ['doi', t.doi]].map(([k, v]) => (v ? `<${k}>${esc(v)}</${k}>` : '')).join('');
  const header = `<header>\n <identifier>oai:arXiv.org:${r.id}</identifier>\n <datestamp>${r.datestamp}</datestamp>\n <setSpec>${oaiSetFor(t.categories.split(' ')[0])}</setSpec>\n</header>`;
  let metadata: string;
  if (prefix === 'arXivRaw') {
    const versions = r.versions.map((v, i) => `<version version="v${i + 1}"><date>${new Date(v.submitted).toUTCString()}</date><size>${v.size ?? '412kb'}</size><source_type>D</source_type></version>`).join('');
    const authors = t.names.map((n) => `${n.forenames} ${n.keyname}`).join(', ');
    metadata = `<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>${r.id}</id><submitter>${esc(authors.split(', ')[0])}</submitter>${versions}<title>${esc(t.title)}</title><authors>${esc(authors)}</authors><categories>${t.categories}</categories>${optional}<license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><abstract>${esc(t.abstract)}</abstract></arXivRaw>`;
  } else {
    const updated = r.versions.length > 1 ? `<updated>${r.versions[r.versions.length - 1].submitted.slice(0, 10)}</updated>` : '';
    const authors = t.names.map((n) => `<author><keyname>${esc(n.keyname)}</keyname><forenames>${esc(n.forenames)}</forenames></author>`).join('');
    metadata = `<arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>${r.id}</id><created>${r.versions[0].submitted.slice(0, 10)}</created>${updated}<authors>${authors}</authors><title>${esc(t.title)}</title><categories>${t.categories}</categories>${optional}<license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><abstract>${esc(t.abstract)}</abstract></arXiv>`;
  }
  return `<record>\n${header}\n<metadata>\n ${metadata}\n</metadata>\n</record>`;
}

/** The search API's answer (2025 format) holding the records, newest submission first. */
function atomPage(records: ReplayRecord[]): string {
  const entries = [...records]
    .sort((a, b) => b.versions[0].submitted.localeCompare(a.versions[0].submitted))
    .map((r) => {
      const t = textFields(r);
      const v = r.versions.length;
      const cats = t.categories.split(' ');
      return `<entry><id>http://arxiv.org/abs/${r.id}v${v}</id><title>${esc(t.title)}</title><updated>${r.versions[v - 1].submitted}</updated><link href="https://arxiv.org/abs/${r.id}v${v}"/><summary>${esc(t.abstract)}</summary>${cats.map((c) => `<category term="${c}" scheme="http://arxiv.org/schemas/atom"/>`).join('')}<published>${r.versions[0].submitted}</published><arxiv:primary_category term="${cats[0]}"/>${t.names.map((n) => `<author><name>${esc(`${n.forenames} ${n.keyname}`)}</name></author>`).join('')}</entry>`;
    });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom"><id>https://arxiv.org/api/replay</id><title>arXiv Query: replay</title><opensearch:itemsPerPage>${entries.length}</opensearch:itemsPerPage><opensearch:totalResults>${entries.length}</opensearch:totalResults><opensearch:startIndex>0</opensearch:startIndex>${entries.join('')}</feed>\n`;
}
