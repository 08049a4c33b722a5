/**
 * Parser for arXiv's OAI-PMH interface (export.arxiv.org/oai2): ListRecords and GetRecord responses
 * in the `arXiv`, `arXivRaw` and `oai_dc` metadata formats.
 */
import { parseArxivId } from '../papers/normalize.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { attrOf, cleanOf, dropUndefined, isoTimestamp, lineCounter, listOf, loadXml, textOf, type XmlNode } from './xml.ts';
import { FormatError, at, recordEvent, type ParseEvent } from './types.ts';
import { isWithdrawal, listingDayOf } from './arxiv-versions.ts';
import { isDay } from '../listings/period.ts';

/** One OAI-PMH response: its records as events and, for a list, where the next page starts. */
export interface OaiPmhPage {
  events: ParseEvent[];
  /** Undefined when the list is complete (the element is missing or empty). */
  resumptionToken?: string;
  completeListSize?: number;
}

/** Parses one OAI-PMH response into record and skip events; OAI errors other than "no records" throw. */
export function parseOaiPmh(xml: string, file: string): OaiPmhPage {
  const doc = loadXml(xml, file);
  const root = doc['OAI-PMH'] as XmlNode | undefined;
  if (!root || typeof root !== 'object') {
    const name = Object.keys(doc)[0];
    throw new FormatError(file, name ? `not an OAI-PMH response (root element <${name}>)` : 'empty document');
  }
  const errors = listOf(root.error);
  if (errors.length) {
    // An empty date range is an answer, not a failure: arXiv reports it as an error code.
    if (errors.every((e) => attrOf(e, 'code') === 'noRecordsMatch')) return { events: [] };
    const described = errors.map((e) => `${attrOf(e, 'code') ?? 'error'}: ${cleanOf(e) ?? ''}`.trim());
    throw new FormatError(file, `OAI-PMH error ${described.join('; ')}`);
  }
  const list = (root.ListRecords ?? root.GetRecord) as XmlNode | undefined;
  if (!list || typeof list !== 'object') {
    if (root.ListRecords === '' || root.GetRecord === '') return { events: [] };
    throw new FormatError(file, 'OAI-PMH response has neither ListRecords nor GetRecord');
  }
  const page: OaiPmhPage = { events: [] };
  const token = list.resumptionToken;
  if (token !== undefined) {
    page.resumptionToken = textOf(token)?.trim() || undefined;
    const size = attrOf(token, 'completeListSize');
    if (size && /^\d+$/.test(size)) page.completeListSize = Number(size);
  }
  const lineOf = lineCounter(xml);
  listOf(list.record).forEach((node, i) => {
    const line = lineOf(node);
    const location = at(file, line === undefined ? `record ${i + 1}` : `record ${i + 1} (line ${line})`);
    page.events.push(recordEvent(location, recordOf((node && typeof node === 'object' ? node : {}) as XmlNode)));
  });
  return page;
}

/** One OAI <record> as a paper record, or the reason it is skipped. */
function recordOf(node: XmlNode): PaperRecord | string {
  const header = (node.header ?? {}) as XmlNode;
  const identifier = cleanOf(header.identifier) ?? '(no identifier)';
  if (attrOf(header, 'status') === 'deleted') return `deleted record ${identifier}`;
  const metadata = node.metadata as XmlNode | undefined;
  if (!metadata || typeof metadata !== 'object') return `record ${identifier} has no metadata`;
  const datestamp = cleanOf(header.datestamp);
  // A revision's day comes from its first submission, but a header whose datestamp is not a date is garbage
  // all the same, and a source that answers garbage is skipped, never imported half (issue 11 §7).
  if (datestamp !== undefined && !isDay(datestamp.slice(0, 10))) return `record ${identifier}: announcedOn: ${JSON.stringify(datestamp)} is not a date`;
  let record: PaperRecord | string;
  if (metadata.arXiv) record = fromArxiv(metadata.arXiv as XmlNode, datestamp);
  else if (metadata.arXivRaw) record = fromArxivRaw(metadata.arXivRaw as XmlNode, datestamp);
  else if (metadata.dc) record = fromDublinCore(metadata.dc as XmlNode, datestamp);
  else return `record ${identifier}: unsupported metadata format <${Object.keys(metadata)[0]}>`;
  if (typeof record === 'string') return `record ${identifier}: ${record}`;
  // The header identifier (oai:arXiv.org:ID) backs up metadata that lacks its own id.
  record.arxivId ??= parseArxivId(identifier)?.id;
  return record.arxivId ? dropUndefined(record) : `record ${identifier}: no arXiv id`;
}

/** The `arXiv` format: structured authors, space-separated categories, primary first. */
function fromArxiv(m: XmlNode, datestamp: string | undefined): PaperRecord | string {
  const title = cleanOf(m.title);
  if (!title) return 'no <title>';
  const authors = listOf((m.authors as XmlNode | undefined)?.author)
    .map((a) => {
      const author = a as XmlNode;
      return [cleanOf(author.forenames), cleanOf(author.keyname), cleanOf(author.suffix)].filter(Boolean).join(' ');
    })
    .filter(Boolean);
  const created = isoTimestamp(cleanOf(m.created));
  const updatedAt = isoTimestamp(cleanOf(m.updated));
  // This format numbers no versions: <updated> (the latest version's date) is what marks a revision.
  return withCommon(m, title, authors, {
    arxivId: parseArxivId(cleanOf(m.id) ?? '')?.id,
    publishedAt: created,
    updatedAt,
    announcedOn: listingDayOf({ datestamp, firstSubmitted: created, revised: updatedAt !== undefined }),
  });
}

/** The `arXivRaw` format: authors as one string, and a dated list of versions. */
function fromArxivRaw(m: XmlNode, datestamp: string | undefined): PaperRecord | string {
  const title = cleanOf(m.title);
  if (!title) return 'no <title>';
  // Affiliations ride along in parentheses ("A. Author (MIT), B. Author"): names only.
  const authors = withoutParentheses(cleanOf(m.authors) ?? '')
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .map((a) => a.trim())
    .filter(Boolean);
  const versions = listOf(m.version);
  const first = isoTimestamp(cleanOf((versions[0] as XmlNode | undefined)?.date));
  const last = versions[versions.length - 1];
  const lastNumber = /^v(\d+)$/.exec(attrOf(last, 'version') ?? '');
  const record = withCommon(m, title, authors, {
    arxivId: parseArxivId(cleanOf(m.id) ?? '')?.id,
    version: lastNumber ? Number(lastNumber[1]) : undefined,
    publishedAt: first,
    updatedAt: versions.length > 1 ? isoTimestamp(cleanOf((last as XmlNode).date)) : undefined,
    announcedOn: listingDayOf({ datestamp, firstSubmitted: first, revised: versions.length > 1 }),
  });
  if (isWithdrawal(record.comment, cleanOf((last as XmlNode | undefined)?.size))) record.withdrawn = true;
  return record;
}

/** Fields the `arXiv` and `arXivRaw` formats spell the same way. */
function withCommon(m: XmlNode, title: string, authors: string[], rest: Partial<PaperRecord>): PaperRecord {
  const categories = (cleanOf(m.categories) ?? '').split(' ').filter(Boolean);
  const comment = cleanOf(m.comments);
  return {
    ...(isWithdrawal(comment) ? { withdrawn: true } : {}),
    source: 'arxiv-oai',
    ...rest,
    title,
    abstract: cleanOf(m.abstract),
    authors: authors.length ? authors : undefined,
    authorCount: authors.length || undefined,
    categories: categories.length ? categories : undefined,
    primaryCategory: categories[0],
    comment,
    journalRef: cleanOf(m['journal-ref']),
    doi: cleanOf(m.doi),
  };
}

/** Dublin Core: names as "Last, First", subjects as English names, comment folded into a description. */
function fromDublinCore(m: XmlNode, datestamp: string | undefined): PaperRecord | string {
  const title = cleanOf(m.title);
  if (!title) return 'no <dc:title>';
  const authors = listOf(m.creator)
    .map((c) => cleanOf(c))
    .filter((c): c is string => !!c)
    .map((c) => c.replace(/^([^,]+),\s*(.+)$/, '$2 $1'));
  const descriptions = listOf(m.description).map((d) => cleanOf(d)).filter((d): d is string => !!d);
  const comment = descriptions.find((d) => d.startsWith('Comment:'))?.replace(/^Comment:\s*/, '');
  const categories = listOf(m.subject)
    .map((s) => SUBJECT_CODES.get(cleanOf(s) ?? ''))
    .filter((c): c is string => !!c);
  const dates = listOf(m.date).map((d) => isoTimestamp(cleanOf(d))).filter((d): d is string => !!d);
  let arxivId: string | undefined;
  let doi: string | undefined;
  let journalRef: string | undefined;
  for (const raw of listOf(m.identifier)) {
    const id = cleanOf(raw);
    if (!id) continue;
    if (/^doi:/i.test(id) || /doi\.org\//i.test(id)) doi ??= id.replace(/^doi:\s*|^https?:\/\/(dx\.)?doi\.org\//gi, '');
    else if (/arxiv\.org\/abs\//i.test(id)) arxivId ??= parseArxivId(id)?.id;
    else if (!/^https?:/i.test(id)) journalRef ??= id;
  }
  return {
    source: 'arxiv-oai',
    arxivId,
    title,
    abstract: descriptions.find((d) => !d.startsWith('Comment:')),
    authors: authors.length ? authors : undefined,
    authorCount: authors.length || undefined,
    categories: categories.length ? [...new Set(categories)] : undefined,
    publishedAt: dates[0],
    updatedAt: dates.length > 1 ? dates[dates.length - 1] : undefined,
    announcedOn: listingDayOf({ datestamp, firstSubmitted: dates[0], revised: dates.length > 1 }),
    ...(isWithdrawal(comment) ? { withdrawn: true } : {}),
    comment,
    journalRef,
    doi,
  };
}

/** Text without its parenthesized parts, nested ones included. */
function withoutParentheses(text: string): string {
  let out = text;
  for (let before = ''; before !== out; ) {
    before = out;
    out = out.replace(/\s*\([^()]*\)/g, '');
  }
  return out;
}

/**
 * arXiv's taxonomy as oai_dc spells it ("Computer Science - Machine Learning" -> cs.LG). Each line:
 * archive code, joiner, English archive name, then `CODE Name` pairs separated by ';'.
 */
const TAXONOMY = [
  'cs|.|Computer Science|AI Artificial Intelligence;AR Hardware Architecture;CC Computational Complexity;CE Computational Engineering, Finance, and Science;CG Computational Geometry;CL Computation and Language;CR Cryptography and Security;CV Computer Vision and Pattern Recognition;CY Computers and Society;DB Databases;DC Distributed, Parallel, and Cluster Computing;DL Digital Libraries;DM Discrete Mathematics;DS Data Structures and Algorithms;ET Emerging Technologies;FL Formal Languages and Automata Theory;GL General Literature;GR Graphics;GT Computer Science and Game Theory;HC Human-Computer Interaction;IR Information Retrieval;IT Information Theory;LG Machine Learning;LO Logic in Computer Science;MA Multiagent Systems;MM Multimedia;MS Mathematical Software;NA Numerical Analysis;NE Neural and Evolutionary Computing;NI Networking and Internet Architecture;OH Other Computer Science;OS Operating Systems;PF Performance;PL Programming Languages;RO Robotics;SC Symbolic Computation;SD Sound;SE Software Engineering;SI Social and Information Networks;SY Systems and Control',
  'math|.|Mathematics|AC Commutative Algebra;AG Algebraic Geometry;AP Analysis of PDEs;AT Algebraic Topology;CA Classical Analysis and ODEs;CO Combinatorics;CT Category Theory;CV Complex Variables;DG Differential Geometry;DS Dynamical Systems;FA Functional Analysis;GM General Mathematics;GN General Topology;GR Group Theory;GT Geometric Topology;HO History and Overview;IT Information Theory;KT K-Theory and Homology;LO Logic;MG Metric Geometry;MP Mathematical Physics;NA Numerical Analysis;NT Number Theory;OA Operator Algebras;OC Optimization and Control;PR Probability;QA Quantum Algebra;RA Rings and Algebras;RT Representation Theory;SG Symplectic Geometry;SP Spectral Theory;ST Statistics Theory',
  'stat|.|Statistics|AP Applications;CO Computation;ME Methodology;ML Machine Learning;OT Other Statistics;TH Statistics Theory',
  'eess|.|Electrical Engineering and Systems Science|AS Audio and Speech Processing;IV Image and Video Processing;SP Signal Processing;SY Systems and Control',
  'econ|.|Economics|EM Econometrics;GN General Economics;TH Theoretical Economics',
  'q-bio|.|Quantitative Biology|BM Biomolecules;CB Cell Behavior;GN Genomics;MN Molecular Networks;NC Neurons and Cognition;OT Other Quantitative Biology;PE Populations and Evolution;QM Quantitative Methods;SC Subcellular Processes;TO Tissues and Organs',
  'q-fin|.|Quantitative Finance|CP Computational Finance;EC Economics;GN General Finance;MF Mathematical Finance;PM Portfolio Management;PR Pricing of Securities;RM Risk Management;ST Statistical Finance;TR Trading and Market Microstructure',
  'astro-ph|.|Astrophysics|CO Cosmology and Nongalactic Astrophysics;EP Earth and Planetary Astrophysics;GA Astrophysics of Galaxies;HE High Energy Astrophysical Phenomena;IM Instrumentation and Methods for Astrophysics;SR Solar and Stellar Astrophysics',
  'cond-mat|.|Condensed Matter|dis-nn Disordered Systems and Neural Networks;mes-hall Mesoscale and Nanoscale Physics;mtrl-sci Materials Science;other Other Condensed Matter;quant-gas Quantum Gases;soft Soft Condensed Matter;stat-mech Statistical Mechanics;str-el Strongly Correlated Electrons;supr-con Superconductivity',
  'nlin|.|Nonlinear Sciences|AO Adaptation and Self-Organizing Systems;CD Chaotic Dynamics;CG Cellular Automata and Lattice Gases;PS Pattern Formation and Solitons;SI Exactly Solvable and Integrable Systems',
  'physics|.|Physics|acc-ph Accelerator Physics;ao-ph Atmospheric and Oceanic Physics;app-ph Applied Physics;atm-clus Atomic and Molecular Clusters;atom-ph Atomic Physics;bio-ph Biological Physics;chem-ph Chemical Physics;class-ph Classical Physics;comp-ph Computational Physics;data-an Data Analysis, Statistics and Probability;ed-ph Physics Education;flu-dyn Fluid Dynamics;gen-ph General Physics;geo-ph Geophysics;hist-ph History and Philosophy of Physics;ins-det Instrumentation and Detectors;med-ph Medical Physics;optics Optics;plasm-ph Plasma Physics;pop-ph Popular Physics;soc-ph Physics and Society;space-ph Space Physics',
  'hep|-|High Energy Physics|ex Experiment;lat Lattice;ph Phenomenology;th Theory',
];
const WHOLE_ARCHIVES: [string, string][] = [
  ['General Relativity and Quantum Cosmology', 'gr-qc'],
  ['Quantum Physics', 'quant-ph'],
  ['Mathematical Physics', 'math-ph'],
  ['Astrophysics', 'astro-ph'],
  ['Nuclear Theory', 'nucl-th'],
  ['Nuclear Experiment', 'nucl-ex'],
];
const SUBJECT_CODES = new Map<string, string>(WHOLE_ARCHIVES);
for (const line of TAXONOMY) {
  const [archive, joiner, archiveName, pairs] = line.split('|');
  for (const pair of pairs.split(';')) {
    const space = pair.indexOf(' ');
    SUBJECT_CODES.set(`${archiveName} - ${pair.slice(space + 1)}`, `${archive}${joiner}${pair.slice(0, space)}`);
  }
}
