import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { validate } from '@readme/openapi-parser';
import { appWithoutDatabase, documentText, SNAPSHOT_PATH } from './document.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
// HTML pages under /api: the endpoint list itself.
const PAGES = new Set(['GET /api']);

/** A Hono route path as OpenAPI writes it: `:ref{pattern}` (a pattern may nest braces) is `{ref}`. */
function openApiPath(path: string): string {
  let out = '';
  let i = 0;
  while (i < path.length) {
    const name = /^:(\w+)/.exec(path.slice(i));
    if (!name) {
      out += path[i++];
      continue;
    }
    out += `{${name[1]}}`;
    i += name[0].length;
    // Skip the pattern, braces balanced.
    for (let depth = 0; path[i] === '{' || depth > 0; i++) depth += path[i] === '{' ? 1 : path[i] === '}' ? -1 : 0;
  }
  return out;
}

test('every route under /api is in the document with its method, and every documented operation is routed', async () => {
  const app = appWithoutDatabase();
  const routed = new Set(app.routes.filter((r) => r.method !== 'ALL' && /^\/api(\/|$)/.test(r.path)).map((r) => `${r.method} ${openApiPath(r.path)}`));
  for (const page of PAGES) assert.ok(routed.delete(page), `${page} is routed`);
  const document = JSON.parse(await documentText(app)) as { paths: Record<string, Record<string, unknown>> };
  const documented = new Set(Object.entries(document.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`)));
  const undocumented = [...routed].filter((r) => !documented.has(r));
  assert.deepEqual(undocumented, [], 'declare these with createRoute and app.openapi (docs: /work/notes/openapi.md)');
  assert.deepEqual([...documented].filter((d) => !routed.has(d)), [], 'documented but not routed');
});

test(`the document matches ${SNAPSHOT_PATH} (after changing a route or schema: npm run openapi)`, async () => {
  const committed = readFileSync(SNAPSHOT_PATH, 'utf8');
  assert.ok(committed === (await documentText()), `${SNAPSHOT_PATH} is out of date: run npm run openapi and review the diff`);
});

test('the document is valid OpenAPI 3.1', async () => {
  const document = JSON.parse(await documentText());
  assert.equal(document.openapi, '3.1.0');
  const result = await validate(document);
  assert.ok(result.valid, result.valid ? '' : JSON.stringify(result.errors, null, 2));
  // Every operation says what it is and how it fails, which the /api page and clients rely on.
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, { summary?: string; tags?: string[]; responses: Record<string, unknown> }>>)) {
    for (const [method, operation] of Object.entries(item)) {
      assert.ok(operation.summary, `${method} ${path} has a summary`);
      assert.ok(operation.tags?.length, `${method} ${path} has a tag`);
      assert.ok(operation.responses['200'] ?? operation.responses['201'] ?? operation.responses['204'] ?? operation.responses['302'], `${method} ${path} documents its success`);
    }
  }
});

test('the /api page lists every operation of the document, links to it, and marks what needs an account', async () => {
  const app = appWithoutDatabase();
  const res = await app.request('/api');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  const html = await res.text();
  assert.match(html, /href="\/api\/openapi.json"/);
  const document = JSON.parse(await documentText(app)) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const heading = new RegExp(`>${method.toUpperCase()}</span> <code class="path">${path.replace(/[{}]/g, '\\$&')}</code>(<span class="auth-badge">)?`);
      const found = heading.exec(html);
      assert.ok(found, `${method} ${path} is on the page`);
      assert.equal(Boolean(found[1]), Boolean(operation.security?.length), `${method} ${path}: "Needs an account" as the document says`);
    }
  }
});

test('Hono paths read as OpenAPI paths', () => {
  assert.equal(openApiPath('/api/papers/:ref{(?:id/[0-9]+|[^/]+)}/vote'), '/api/papers/{ref}/vote');
  assert.equal(openApiPath('/api/authors/:id{[0-9]{1,10}}'), '/api/authors/{id}');
  assert.equal(openApiPath('/api/collections/:id/papers'), '/api/collections/{id}/papers');
});
