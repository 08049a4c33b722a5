/**
 * RIS reader (what Zotero, Mendeley, EndNote and most publishers export): one tag per line, `TAG  - value`,
 * records from `TY` to `ER`; a line without a tag continues the value before it. A couple of dozen lines
 * rather than a dependency: the format is that small.
 */
import { type FoundReference, referenceEntry, type ReferenceEntry } from './entry.ts';

const TAGGED = /^([A-Z][A-Z0-9])  -(?: (.*))?$/;
const TITLES = ['TI', 'T1', 'CT', 'BT'];
const MENTIONS = ['UR', 'L1', 'L2', 'LK', 'N1', 'M1', 'M3', 'AN', 'ID', 'JO', 'JF', 'T2', 'SN'];

/** The references of a RIS file. */
export function readRis(text: string): { entries: ReferenceEntry[]; problems: string[] } {
  const records: Map<string, string[]>[] = [];
  let current: Map<string, string[]> | undefined;
  let last: string[] | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '');
    const m = TAGGED.exec(line);
    if (!m) {
      // A wrapped value (titles and abstracts often are); blank lines between records mean nothing.
      if (last && line.trim()) last[last.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const [, tag, value = ''] = m;
    if (tag === 'TY') records.push((current = new Map()));
    if (tag === 'ER') {
      current = undefined;
      last = undefined;
      continue;
    }
    if (!current) continue;
    last = current.get(tag) ?? current.set(tag, []).get(tag)!;
    last.push(value.trim());
  }
  const entries = records.map((r, i) => {
    const first = (tags: string[]) => tags.map((t) => r.get(t)?.[0]).find((v) => v);
    const found: FoundReference = {
      n: i + 1,
      title: first(TITLES),
      abstract: first(['AB', 'N2']),
      doi: first(['DO']),
      mentions: MENTIONS.flatMap((t) => r.get(t) ?? []),
      fallbackLabel: first(['ID', 'AN']) ?? '',
    };
    return referenceEntry(found);
  });
  return { entries, problems: [] };
}
