/**
 * A local stand-in for arXiv's API (`ARXIV_API_URL`): a real HTTP server answering `id_list` queries with the
 * real responses captured in test/fixtures/arxiv_api_atom/ (the same files as shared/data/api_fixtures). A
 * query is answered by the capture made for exactly its ids, or — asked for one id a capture found — by that
 * capture (its feed holds that one entry, as arXiv's answer would); ids no capture knows get the capture of
 * an id arXiv does not have (an empty feed), as arXiv answers them. Anything else is a 500, so a test that
 * sends an unexpected request fails loudly. `down` makes it answer 503, as arXiv does under load.
 */
import { readFileSync } from 'node:fs';
import { startTestServer, type TestServer } from '../src/fetch/test-server.ts';

const read = (file: string) => readFileSync(new URL(`fixtures/arxiv_api_atom/${file}`, import.meta.url), 'utf8');

/** The captures by the (sorted) set of ids they were asked for. */
const CAPTURES = new Map<string, string>([
  ['2206.06921', '2025-11_idlist_2206.06921.xml'],
  [['2201.13452', '2201.13453', '2201.13454', '2201.13455'].join(','), '2025-11_idlist_4ids_only1found.xml'],
  ['1201.56789', '2025-11_idlist_1201.56789_empty.xml'],
]);
/** The ids a capture found, with the capture: a query for that id alone gets the same single entry. */
const FOUND = new Map<string, string>([['2201.13452', '2025-11_idlist_4ids_only1found.xml']]);
const KNOWN_IDS = new Set([...CAPTURES.keys()].flatMap((k) => k.split(',')));

/** A running stand-in; `apiUrl` is what ARXIV_API_URL is set to. */
export interface ArxivStandIn extends TestServer {
  apiUrl: string;
  /** The `id_list` of each query, in order. */
  asked(): string[];
  /** While true, every request is answered 503. */
  down: boolean;
}

/** Starts the stand-in on 127.0.0.1. */
export async function startArxivStandIn(): Promise<ArxivStandIn> {
  const state = { down: false };
  const server = await startTestServer((url) => {
    if (state.down) return { status: 503, body: 'Service Unavailable', headers: { 'Content-Type': 'text/plain' } };
    if (url.pathname !== '/api/query') return { status: 404, body: 'not found' };
    const ids = (url.searchParams.get('id_list') ?? '').split(',').filter(Boolean).map((id) => id.replace(/v\d+$/, '')).sort();
    const capture = CAPTURES.get(ids.join(',')) ?? (ids.length === 1 ? FOUND.get(ids[0]) : undefined);
    const atom = { 'Content-Type': 'application/atom+xml; charset=utf-8' };
    if (capture) return { status: 200, body: read(capture), headers: atom };
    if (ids.length > 0 && ids.every((id) => !KNOWN_IDS.has(id))) return { status: 200, body: read('2025-11_idlist_1201.56789_empty.xml'), headers: atom };
    return { status: 500, body: `the arXiv stand-in has no capture for id_list=${ids.join(',')}` };
  });
  // Not Object.assign: it would copy the getter's value once, and `down` would never switch.
  return Object.defineProperties(server as ArxivStandIn, {
    apiUrl: { value: `${server.baseUrl}/api/query`, enumerable: true },
    asked: { value: () => server.requests.map((r) => r.url.searchParams.get('id_list') ?? '') },
    down: { get: () => state.down, set: (value: boolean) => void (state.down = value), enumerable: true },
  });
}
