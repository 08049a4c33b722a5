/** Plain-text formatting shared by the pages: dates, author lines, excerpts, source names. No markup here. */
import type { Paper, SourceName } from '../../papers/paper.ts';

// Shared with the mails, so they live outside src/http/.
export { authorSummary, excerpt } from '../../papers/paper-text.ts';

// UTC on purpose: listing days are calendar days, and a server's time zone must not shift them by one.
const DAY = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** `2024-01-05` or an ISO timestamp as `Jan 5, 2024`; a value that is no date is shown as given. */
export function formatDay(value: string): string {
  const time = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(time) ? value : DAY.format(time);
}

/** The YYYY-MM-DD part of a date or timestamp, for `<time datetime>`. */
export function isoDay(value: string): string {
  return value.slice(0, 10);
}

/** Paragraphs of a text: blank lines separate them, other line breaks are just spaces. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

const SOURCE_LABELS: Record<SourceName, string> = {
  'hf-page': 'Hugging Face paper page',
  'hf-daily': 'Hugging Face Daily Papers',
  'arxiv-atom': 'arXiv API',
  'arxiv-oai': 'arXiv OAI-PMH',
  'arxiv-jsonl': 'arXiv metadata snapshot',
  jsonl: 'JSONL import',
  demo: 'demo corpus',
  feed: 'RSS/Atom feed',
};

const FIELD_LABELS: Record<string, string> = {
  journalRef: 'journal ref',
  primaryCategory: 'primary category',
  authorCount: 'author count',
  abs: 'abstract page',
  pdf: 'PDF',
  code: 'code',
  project: 'project page',
  doi: 'DOI',
  updatedAt: 'updated date',
};

/** Which source supplied which fields, most fields first: "arXiv API (title, abstract, ...)". */
export function sourcesSummary(provenance: Paper['provenance']): { label: string; fields: string[] }[] {
  const bySource = new Map<string, string[]>();
  for (const [field, { source }] of Object.entries(provenance)) {
    const label = SOURCE_LABELS[source] ?? source;
    bySource.set(label, [...(bySource.get(label) ?? []), FIELD_LABELS[field] ?? field]);
  }
  return [...bySource.entries()].map(([label, fields]) => ({ label, fields })).sort((a, b) => b.fields.length - a.fields.length);
}

// One formatter for every count: toLocaleString builds a new one per call, which shows on pages with many cards.
const COUNT = new Intl.NumberFormat('en');

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** "1 paper", "1,284 papers". */
export function papersCount(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'paper' : 'papers'}`;
}
