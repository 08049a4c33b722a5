/** What the submit page and POST /api/submissions share: one arXiv client per app, and what each outcome says. */
import { arxivLookup, type ArxivLookup, lookupConfigOf } from '../../community/arxiv-lookup.ts';
import type { SubmitOutcome } from '../../community/submissions.service.ts';
import type { Config } from '../../config.ts';

const lookups = new WeakMap<Config, ArxivLookup>();

/** The app's arXiv lookup: one client, so the page and the API keep one spacing of requests to arXiv. */
export function submitterLookup({ config }: { config: Config }): ArxivLookup {
  let lookup = lookups.get(config);
  if (!lookup) lookups.set(config, (lookup = arxivLookup(lookupConfigOf(config.sources))));
  return lookup;
}

/** The HTTP status of an outcome and, for a failure, what the reader is told. */
export function submissionResult(outcome: SubmitOutcome, input: string): { status: 200 | 201 | 400 | 404 | 429 | 503; error?: string } {
  switch (outcome.status) {
    case 'ok':
      return { status: outcome.added ? 201 : 200 };
    case 'invalid':
      return { status: 400, error: `“${input.trim().slice(0, 60)}” is not an arXiv id or the address of an arXiv paper. Try 2401.01234 or https://arxiv.org/abs/2401.01234.` };
    case 'not-on-arxiv':
      return { status: 404, error: `arXiv has no paper ${outcome.arxivId}.` };
    case 'unavailable':
      return { status: 503, error: `arXiv did not answer for ${outcome.arxivId}. Try again in a minute.` };
    case 'rate-limited':
      return { status: 429, error: 'You have submitted many papers in the last hour. Try again later.' };
  }
}
