/** Generated paper records for tests that need many (imports killed mid-way, concurrent writers). */

/** `n` distinct, realistic records (arXiv ids, authors, categories, a listing day), one JSON object a line. */
export function syntheticJsonl(n: number, offset = 0): string {
  const lines: string[] = [];
  for (let i = offset; i < offset + n; i++) {
    lines.push(JSON.stringify({
      arxivId: `2501.${String(10000 + i).padStart(5, '0')}`,
      title: `Synthetic paper ${i} on sparse attention and retrieval`,
      abstract: `We study problem ${i} with a method that ${i % 2 ? 'scales' : 'adapts'} to long inputs. `.repeat(8),
      authors: [`Author ${i % 97}`, `Coauthor ${i % 31}`, `Third ${i % 13}`],
      categories: [i % 3 ? 'cs.LG' : 'cs.CL', 'stat.ML'],
      announcedOn: `2025-0${1 + (i % 9)}-1${i % 10}`,
    }));
  }
  return `${lines.join('\n')}\n`;
}
