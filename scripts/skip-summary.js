// A node:test reporter that says, at the end of `npm test`, which suites were skipped and why (the
// PostgreSQL halves, when PAPERBOY_TEST_PG_URL is unset) — the standard summary counts only tests.
export default async function* skipSummary(source) {
  const skipped = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' || !event.data.skip) continue;
    // Suites report `skip` as their reason; nested skips of a skipped suite are not reported separately.
    const reason = typeof event.data.skip === 'string' ? event.data.skip : 'skipped';
    skipped.set(reason, [...(skipped.get(reason) ?? []), event.data.name]);
  }
  const total = [...skipped.values()].reduce((n, names) => n + names.length, 0);
  if (total === 0) {
    yield '# skipped suites and tests: none\n';
    return;
  }
  yield `# skipped suites and tests: ${total}\n`;
  for (const [reason, names] of skipped) yield `#   ${names.length} × ${reason}\n`;
}
