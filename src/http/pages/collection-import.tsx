/** GET|POST /collections/<id>/import: the upload form, and what became of each reference of the file. */
import { COLLECTION_LIMITS, type CollectionSummary } from '../../collections/collections.service.ts';
import { IMPORT_LIMITS, type ImportedEntry, type ImportResult } from '../../collections/import.service.ts';
import { UNMATCHED_WORDS } from '../../collections/import-words.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { collectionUrls } from '../content-urls.ts';
import { paperUrl } from '../urls.ts';
import { Notice } from './account-parts.tsx';
import { peopleStyles } from './collections.tsx';
import { Layout } from './layout.tsx';
import { Markup } from './markup.ts';

const FORMATS = { bibtex: 'BibTeX', ris: 'RIS', 'csl-json': 'CSL-JSON' } as const;
const MATCHED_BY = { arxiv: 'by arXiv id', doi: 'by DOI', title: 'by title', fetched: 'fetched from arXiv' } as const;

function Matched({ items }: { items: ImportedEntry[] }) {
  return (
    <ol>
      {items.map((i) => (
        <li value={String(i.entry.n)}>
          <a href={paperUrl(i.paper)}>
            <Markup text={i.paper.title} title />
          </a>{' '}
          <span class="why">— {MATCHED_BY[i.matchedBy]}</span>
        </li>
      ))}
    </ol>
  );
}

/** The import page: the form, and after a POST the result (or why the file could not be read). */
export function collectionImportPage({ collection, csrf, result, error }: { collection: CollectionSummary; csrf: string; result?: ImportResult; error?: string }) {
  const urls = collectionUrls(collection.publicId);
  return (
    <Layout title={`Import into ${collection.name}`} head={peopleStyles}>
      <p>
        <a href={urls.page}>← {collection.name}</a>
      </p>
      <h1>Import into “{collection.name}”</h1>
      {error && <Notice kind="warn">{error}</Notice>}
      {result && <ImportResultView result={result} />}
      <form class="form narrow" method="post" action={urls.import} enctype="multipart/form-data">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <div class="field">
          <label for="file">{result ? 'Another file' : 'A BibTeX, RIS or CSL-JSON file'}</label>
          <input type="file" id="file" name="file" required accept=".bib,.bibtex,.ris,.json,.txt,text/plain,application/json,application/x-bibtex" aria-describedby="file-hint" />
          <p class="hint" id="file-hint">
            At most 1 MB and {IMPORT_LIMITS.entries} entries — what Zotero, Mendeley, JabRef or Google Scholar export. Each reference is matched by arXiv id, then DOI, then
            title; arXiv preprints Paperboy does not have yet are fetched from arXiv. References it cannot find are still used, by their title and abstract, for your
            recommendations.
          </p>
        </div>
        <button class="button" type="submit">
          Import
        </button>
      </form>
    </Layout>
  );
}

function ImportResultView({ result }: { result: ImportResult }) {
  return (
    <section class="import-result" aria-labelledby="result-title">
      <h2 id="result-title">Imported from a {FORMATS[result.format]} file</h2>
      <ul class="tally">
        <li>{result.added.length} added</li>
        {result.already.length > 0 && <li>{result.already.length} already in</li>}
        {result.fetched > 0 && <li>{result.fetched} fetched from arXiv</li>}
        <li>{result.unmatched.length} not matched</li>
      </ul>
      {result.asText > 0 && (
        <p class="as-text">
          {result.asText === 1 ? '1 reference' : `${result.asText} references`} not in Paperboy {result.asText === 1 ? 'is' : 'are'} used as text for your recommendations: the
          title, and the abstract where the file has one, count like a paper of this collection.
        </p>
      )}
      {result.asTextOverLimit > 0 && <Notice kind="warn">{`${result.asTextOverLimit} more did not fit: a collection keeps ${COLLECTION_LIMITS.references} references by their text.`}</Notice>}
      {result.problems.length > 0 && (
        <>
          <h2>Could not be read ({result.problems.length})</h2>
          <ul>
            {result.problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </>
      )}
      {result.unmatched.length > 0 && (
        <>
          <h2>Not matched ({result.unmatched.length})</h2>
          <ol>
            {result.unmatched.map((u) => (
              <li value={String(u.entry.n)}>
                {u.entry.label} <span class="why">— {UNMATCHED_WORDS[u.reason]}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {result.overLimit.length > 0 && (
        <>
          <h2>Did not fit ({result.overLimit.length})</h2>
          <p>The collection holds its limit of papers.</p>
          <Matched items={result.overLimit} />
        </>
      )}
      {result.added.length > 0 && (
        <>
          <h2>Added ({result.added.length})</h2>
          <Matched items={result.added} />
        </>
      )}
      {result.already.length > 0 && (
        <>
          <h2>Already in the collection ({result.already.length})</h2>
          <Matched items={result.already} />
        </>
      )}
    </section>
  );
}
