/**
 * Harvesting an arXiv category or archive: OAI-PMH ListRecords from the first unsettled day (arXivRaw, so
 * versions are numbered), resumption token after resumption token, with the search API as the fallback
 * when OAI-PMH fails. Then the calendar's expected days are checked: a day with no records is late (OAI-PMH
 * lags the listing) and watched for, with retries, until it is given up with a warning.
 */
import { fetchArxiv, type ArxivPageInfo } from '../fetch/arxiv.ts';
import { HttpError } from '../fetch/http.ts';
import { FormatError } from '../importers/types.ts';
import { expectedListingDays } from './calendar.ts';
import { countDays, Stopped, writePage, type Harvester, type HarvestIo, type HarvestOutcome } from './harvest.ts';
import { lateRetryAt, settleDays, type DuePlan } from './schedule.ts';
import type { SourceRow } from './sources.repo.ts';

/** An OAI-PMH answer that a restart from the day (not the token) cures. */
const STALE_TOKEN = /badResumptionToken/;

/** Harvests `plan` for an arXiv source. */
export const harvestArxiv: Harvester = async (io, source, plan) => {
  const days: Record<string, number> = plan.resumeToken && source.resume_days ? JSON.parse(source.resume_days) : {};
  let via = 'oai';
  let note: string | undefined;
  try {
    await pages(io, source, plan, days, 'oai', plan.resumeToken);
  } catch (err) {
    if (err instanceof Stopped) throw err;
    if (plan.resumeToken && err instanceof FormatError && STALE_TOKEN.test(err.message)) {
      // Tokens expire; the harvest starts again from its first day (what was written stays unchanged).
      await pages(io, source, plan, days, 'oai', undefined);
    } else {
      const problem = describe(err);
      // A server that asked to be left alone is not asked again through its other door.
      const sameHost = new URL(io.endpoints.arxivApi).host === new URL(io.endpoints.arxivOai).host;
      if (retryAfter(err) !== undefined && sameHost) throw new HarvestFailed(`OAI-PMH: ${problem}`, retryAfter(err));
      via = 'api';
      note = `OAI-PMH failed (${problem}); fetched through the arXiv API instead`;
      try {
        await pages(io, source, plan, days, 'api', undefined);
      } catch (apiErr) {
        if (apiErr instanceof Stopped) throw apiErr;
        throw new HarvestFailed(`OAI-PMH: ${problem}; the API: ${describe(apiErr)}`, retryAfter(err) ?? retryAfter(apiErr));
      }
    }
  }
  return settle(io, source, plan, days, via, note);
};

/** Runs one interface's pages through the importer, recording each. */
async function pages(io: HarvestIo, source: SourceRow, plan: DuePlan, days: Record<string, number>, via: 'oai' | 'api', resumptionToken: string | undefined): Promise<void> {
  let info: ArxivPageInfo | undefined;
  const stream = fetchArxiv({
    category: source.target,
    since: plan.from,
    via,
    baseUrl: via === 'oai' ? io.endpoints.arxivOai : io.endpoints.arxivApi,
    client: io.client,
    parse: io.parse,
    resumptionToken,
    onPage: (p) => (info = p),
  });
  for await (const batch of stream) {
    const report = await writePage(io, batch, info!.url, via === 'oai' ? 'oai-pmh' : 'arxiv-atom');
    countDays(days, batch);
    // Through the API there is no token to resume from; a restart asks for the window again.
    await io.committed({ report, requests: 1, days, resumeToken: via === 'oai' ? info!.resumptionToken ?? null : null });
  }
}

/** Which expected days arrived, what is still awaited, and where the source goes from here. */
function settle(io: HarvestIo, source: SourceRow, plan: DuePlan, days: Record<string, number>, via: string, note: string | undefined): HarvestOutcome {
  const now = io.now();
  const expected = expectedListingDays(io.cal, plan.from, plan.until);
  const { pending, givenUp } = settleDays(expected, (day) => (days[day] ?? 0) > 0, now);
  const messages = [note];
  if (givenUp.length) messages.push(`no papers for ${givenUp.join(', ')}, although arXiv should have listed some (the source may lag, or arXiv deferred that mailing)`);
  const retryAt = pending.length ? lateRetryAt(pending[pending.length - 1], now) : undefined;
  if (pending.length) messages.push(`${pending.join(', ')} not in the answer yet; trying again at ${retryAt!.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  const status = givenUp.length || note ? 'warning' : pending.length ? 'late' : 'success';
  const completed = source.completed_through && source.completed_through > plan.until ? source.completed_through : plan.until;
  return {
    status,
    via,
    message: messages.filter(Boolean).join('; ') || undefined,
    patch: {
      completed_through: completed,
      pending_days: JSON.stringify(pending),
      resume_token: null,
      resume_from: null,
      resume_days: null,
      next_attempt_at: retryAt?.toISOString() ?? null,
    },
  };
}

/** A harvest that failed through every interface; `retryAfterMs` when a server asked to be left alone. */
export class HarvestFailed extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

function retryAfter(err: unknown): number | undefined {
  return err instanceof HttpError ? err.retryAfterMs : undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
