/** /admin/sources: what the instance follows, how each source is doing, its runs, and the forms to change them. */
import type { RunRow } from '../../sources/sources.repo.ts';
import type { SourceStatus } from '../../sources/sources.service.ts';
import { assetUrl } from '../assets/assets.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { Layout } from './layout.tsx';
import { subscriptionStyles } from './subscribe.tsx';

/** What the sources page shows. */
export interface SourcesPageProps {
  csrf: string;
  sources: SourceStatus[];
  runs: (RunRow & { label: string })[];
  notice?: string;
}

const HEALTH_LABELS: Record<SourceStatus['health'], string> = {
  ok: 'ok',
  running: 'running',
  late: 'late',
  warning: 'warning',
  failing: 'failing',
  never: 'not run yet',
  disabled: 'off',
};

/** A stored timestamp as people read it; a value that is not one is shown as it is. */
const at = (iso: string | null | undefined) => (iso && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : iso ?? '—');

/** The admin pages' own navigation. */
export function AdminNav({ current }: { current: 'outbox' | 'sources' }) {
  return (
    <nav class="admin-nav" aria-label="Admin">
      <a href="/admin/outbox" aria-current={current === 'outbox' ? 'page' : undefined}>
        Outbox
      </a>
      <a href="/admin/sources" aria-current={current === 'sources' ? 'page' : undefined}>
        Sources
      </a>
    </nav>
  );
}

/** A table's header row. */
function ColumnHeads({ names }: { names: string[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th scope="col">{name}</th>
        ))}
      </tr>
    </thead>
  );
}

function Action({ csrf, id, action, label, danger }: { csrf: string; id: number; action: string; label: string; danger?: boolean }) {
  return (
    <form method="post" action={`/admin/sources/${id}/${action}`}>
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      <button class={`button ${danger ? 'danger' : 'secondary'}`} type="submit">
        {label}
      </button>
    </form>
  );
}

/** GET /admin/sources. */
export function sourcesPage(p: SourcesPageProps) {
  return (
    <Layout title="Sources" head={<>{subscriptionStyles}<link rel="stylesheet" href={assetUrl('sources.css')} /></>}>
      <AdminNav current="sources" />
      <h1>Sources</h1>
      <p class="lede">What this instance fetches by itself, on arXiv's calendar or on a schedule, and how each run went.</p>
      {p.notice && (
        <div class="notice ok" role="status">
          <p>{p.notice}</p>
        </div>
      )}
      <section class="block" aria-labelledby="sources-heading">
        <h2 id="sources-heading">Followed ({p.sources.length})</h2>
        {p.sources.length === 0 ? (
          <p class="muted">Nothing yet: add a source below, or start Paperboy with FETCH_ARXIV=cs.LG,cs.CV.</p>
        ) : (
          <div class="table-scroll">
          <table class="outbox">
            <ColumnHeads names={['Source', 'Schedule', 'State', 'Last success', 'Next run', 'Actions']} />
            <tbody>
              {p.sources.map((s) => (
                <tr>
                  <td>{s.label}</td>
                  <td data-label="Schedule">{s.source.schedule}</td>
                  <td class="state">
                    <span class={`health health-${s.health}`}>{HEALTH_LABELS[s.health]}</span>
                    {s.warning && <p class="source-warning">{s.warning}</p>}
                  </td>
                  <td class="when" data-label="Last success">
                    {at(s.source.last_success_at)}
                    {s.source.completed_through && <p class="source-warning">fetched through {s.source.completed_through}</p>}
                  </td>
                  <td class="when" data-label="Next run">{s.source.enabled ? at(s.nextRunAt?.toISOString()) : '—'}</td>
                  <td>
                    <div class="row-actions">
                      <Action csrf={p.csrf} id={s.source.id} action="run" label="Run now" />
                      {s.source.enabled ? <Action csrf={p.csrf} id={s.source.id} action="disable" label="Switch off" /> : <Action csrf={p.csrf} id={s.source.id} action="enable" label="Switch on" />}
                      <Action csrf={p.csrf} id={s.source.id} action="remove" label="Remove" danger />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
      </section>
      <section class="block" aria-labelledby="add-heading">
        <h2 id="add-heading">Add a source</h2>
        <form class="form add-source" method="post" action="/admin/sources">
          <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
          <div class="field">
            <label for="kind">Kind</label>
            <select id="kind" name="kind">
              <option value="arxiv">arXiv</option>
              <option value="hf-daily">Hugging Face daily</option>
              <option value="feed">RSS or Atom feed</option>
            </select>
          </div>
          <div class="field">
            <label for="target">Category or feed</label>
            <input type="text" id="target" name="target" placeholder="cs.LG" aria-describedby="target-hint" />
            <p class="hint" id="target-hint">A category (cs.LG), an archive (cs) or a feed's URL</p>
          </div>
          <div class="field">
            <label for="schedule">Schedule</label>
            <input type="text" id="schedule" name="schedule" placeholder="listing" aria-describedby="schedule-hint" />
            <p class="hint" id="schedule-hint">“listing” (arXiv's calendar), “every 2h”, “daily”</p>
          </div>
          <div class="field">
            <label for="since">Backfill from</label>
            <input type="text" id="since" name="since" placeholder="YYYY-MM-DD" aria-describedby="since-hint" />
            <p class="hint" id="since-hint">Empty: the last few listing days</p>
          </div>
          <button class="button" type="submit">
            Add
          </button>
        </form>
      </section>
      <section class="block" aria-labelledby="runs-heading">
        <h2 id="runs-heading">Latest runs</h2>
        {p.runs.length === 0 ? <p class="muted">No run yet.</p> : <RunsTable runs={p.runs} />}
      </section>
    </Layout>
  );
}

function RunsTable({ runs }: { runs: SourcesPageProps['runs'] }) {
  return (
    <div class="table-scroll">
      <table class="outbox runs">
        <ColumnHeads names={['Started', 'Source', 'Days', 'Outcome', 'Records']} />
        <tbody>
          {runs.map((r) => (
            <tr>
              <td>{at(r.started_at)}</td>
              <td>{r.label}</td>
              <td data-label="Days">{r.window_from === r.window_until ? r.window_from ?? '—' : `${r.window_from} – ${r.window_until}`}</td>
              <td class="message">
                <span class={`health health-${r.status}`}>{r.status}</span>
                {r.message && <p class="source-warning">{r.message}</p>}
                <Skips json={r.skips} count={r.skipped} />
              </td>
              <td>
                {`${r.added} added · ${r.updated} updated`}
                <br />
                {`${r.unchanged} unchanged · ${r.skipped} skipped`}
                <p class="source-warning">{[r.via && `via ${r.via}`, `${r.requests} request${r.requests === 1 ? '' : 's'}`].filter(Boolean).join(', ')}</p>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The first skips of a run, with where and why; the stored list never breaks the page. */
function Skips({ json, count }: { json: string; count: number }) {
  let skips: { location: string; reason: string }[] = [];
  try {
    const parsed: unknown = JSON.parse(json);
    if (Array.isArray(parsed)) skips = parsed.filter((s) => s && typeof s.location === 'string' && typeof s.reason === 'string');
  } catch {
    return null;
  }
  if (skips.length === 0) return null;
  return (
    <details>
      <summary>
        Skipped records{count > skips.length ? ` (first ${skips.length} of ${count})` : ''}
      </summary>
      <ul>
        {skips.map((s) => (
          <li>
            {s.location}: {s.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
