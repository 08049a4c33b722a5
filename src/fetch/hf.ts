/** Live fetching of one day of Hugging Face daily papers. */
import type { ParseEvent } from '../importers/types.ts';
import { isDay } from '../listings/period.ts';
import { PoliteHttpClient } from './http.ts';
import { parseInThread, type PageParser } from './page-parser.ts';

/** Hugging Face's site; a parameter so tests and mirrors can point elsewhere. */
export const HF_BASE_URL = 'https://huggingface.co';
/** Hugging Face's API (HF_API_URL): daily papers are `${HF_API_URL}/daily_papers`. */
export const HF_API_URL = `${HF_BASE_URL}/api`;

/** Options for fetchHfDaily; `date` is the YYYY-MM-DD listing day. */
export interface FetchHfDailyOptions {
  date: string;
  baseUrl?: string;
  /** The API root instead of the site (`…/api`), as HF_API_URL gives it; wins over baseUrl. */
  apiUrl?: string;
  /** Spacing between requests when no client is given (default 1000 ms; HF sets no rule, so stay gentle). */
  delayMs?: number;
  client?: PoliteHttpClient;
  /** Where the answer is parsed (default: this thread). */
  parse?: PageParser;
}

/** One day's listing: the raw JSON (worth keeping as an archive) and its parsed events. */
export interface HfDailyResult {
  url: string;
  json: string;
  events: ParseEvent[];
}

/** GETs {baseUrl}/api/daily_papers?date=… and parses it; the URL is the location records point back to. */
export async function fetchHfDaily(options: FetchHfDailyOptions): Promise<HfDailyResult> {
  if (!isDay(options.date)) {
    throw new Error(`fetchHfDaily: date must be a real day YYYY-MM-DD, got ${JSON.stringify(options.date)}`);
  }
  const client = options.client ?? new PoliteHttpClient({ minDelayMs: options.delayMs ?? 1000 });
  const api = (options.apiUrl ?? `${(options.baseUrl ?? HF_BASE_URL).replace(/\/+$/, '')}/api`).replace(/\/+$/, '');
  const url = `${api}/daily_papers?${new URLSearchParams({ date: options.date })}`;
  const json = await client.getText(url, { Accept: 'application/json' });
  return { url, json, events: (await (options.parse ?? parseInThread)('hf-daily', json, url)).events };
}
