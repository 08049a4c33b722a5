/**
 * A local stand-in for the arXiv search API (`/api/query?id_list=…`) on a real HTTP server, answering with
 * the real captured responses of test/fixtures/arxiv_api_atom/ unchanged: 2206.06921 and 2201.13452 are
 * found, any other id gets arXiv's empty feed. `down` makes it answer 503, as arXiv does under load.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestServer, type TestServer } from '../src/fetch/test-server.ts';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/arxiv_api_atom');
const read = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** The ids the stand-in knows, and the captured response it answers each with. */
export const STANDIN_PAPERS: Record<string, string> = {
  '2206.06921': '2025-11_idlist_2206.06921.xml',
  '2201.13452': '2025-11_idlist_4ids_only1found.xml',
};

/** A running stand-in: its API URL (what ARXIV_API_URL is set to), what it was asked, and a switch to fail. */
export interface ArxivStandIn {
  apiUrl: string;
  server: TestServer;
  /** The ids asked for, in order. */
  asked(): string[];
  down: boolean;
  close(): Promise<void>;
}

/** Starts the stand-in on an ephemeral port of 127.0.0.1. */
export async function startArxivStandIn(): Promise<ArxivStandIn> {
  const empty = read('2025-11_idlist_1201.56789_empty.xml');
  const state = { down: false };
  const server = await startTestServer((url) => {
    if (state.down) return { status: 503, body: 'Service Unavailable', headers: { 'Content-Type': 'text/plain' } };
    if (url.pathname !== '/api/query') return { status: 404, body: 'not found' };
    const id = url.searchParams.get('id_list') ?? '';
    const file = STANDIN_PAPERS[id];
    return { status: 200, body: file ? read(file) : empty, headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' } };
  });
  return {
    apiUrl: `${server.baseUrl}/api/query`,
    server,
    asked: () => server.requests.map((r) => r.url.searchParams.get('id_list') ?? ''),
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    close: () => server.close(),
  };
}
