/** GET/POST /submit: submit an arXiv paper by id or address; the result names the paper and who submitted it. */
import type { SubmitOutcome } from '../../community/submissions.service.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { AccountShell, Notice } from './account-parts.tsx';
import { FieldError } from './subscribe.tsx';
import { formatDay } from './format.ts';

/** What the page shows: the form, and after a post its outcome. */
export interface SubmitPageProps {
  csrf: string;
  value?: string;
  error?: string;
  /** A successful submission: where the paper is and what happened. */
  done?: { url: string; outcome: Extract<SubmitOutcome, { status: 'ok' }> };
}

/** Renders the submit page. */
export function submitPage({ csrf, value, error, done }: SubmitPageProps) {
  return (
    <AccountShell title="Submit a paper">
      {done && (
        <Notice kind="ok">
          {done.outcome.added ? 'Added from arXiv: ' : done.outcome.marked ? 'Already in Paperboy, now marked as submitted: ' : 'Already submitted: '}
          <a href={done.url}>arXiv:{done.outcome.arxivId}</a> — submitted by {done.outcome.submission.by} on {formatDay(done.outcome.submission.on)}. It shows among that
          day’s community picks.
        </Notice>
      )}
      <p>
        Share a paper with the readers here: give its arXiv id or the address of its abstract or PDF. A paper Paperboy does not have yet is fetched from
        arXiv; one it has gets your name as its submitter, unless someone submitted it first.
      </p>
      <form class="form" method="post" action="/submit">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <div class="field">
          <label for="arxiv">arXiv id or address</label>
          <input
            type="text"
            id="arxiv"
            name="arxiv"
            required
            maxlength={300}
            value={value ?? ''}
            placeholder="2401.01234 or https://arxiv.org/abs/2401.01234"
            autocomplete="off"
            spellcheck={false}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'arxiv-error arxiv-hint' : 'arxiv-hint'}
          />
          <p class="hint" id="arxiv-hint">
            Versioned ids (2401.01234v2), old-style ids (hep-th/9901001) and pdf links work too.
          </p>
          <FieldError id="arxiv" error={error} />
        </div>
        <button class="button" type="submit">
          Submit
        </button>
      </form>
    </AccountShell>
  );
}
