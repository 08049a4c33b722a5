/** What the subscribe, preferences and alert forms accept, with messages a person can act on. */
import { z } from 'zod';

const timeZones = new Set(Intl.supportedValuesOf('timeZone'));
timeZones.add('UTC');

/** Every time zone a subscriber can pick, sorted (UTC first). */
export const TIME_ZONES = ['UTC', ...[...timeZones].filter((z) => z !== 'UTC').sort()];

/** Largest digest a subscriber can ask for. */
export const MAX_DIGEST_SIZE = 50;
/** Most alerts one subscriber can keep. */
export const MAX_ALERTS = 20;

const trimmed = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} can be at most ${max} characters.`)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional()
    .transform((v) => v ?? null);

/** An address, trimmed and lower-cased so one mailbox is one subscriber. */
export const EmailInput = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'That address is too long (at most 254 characters).')
  .pipe(z.email('That does not look like an email address (name@example.org).'))
  .transform((v) => v.toLowerCase());

const TimeZoneInput = z
  .string()
  .trim()
  .default('UTC')
  .transform((v) => v || 'UTC')
  .refine((v) => timeZones.has(v), 'Pick a time zone from the list (for example Europe/Berlin).');

const DigestSizeInput = z.coerce
  .number({ error: 'The number of papers must be a whole number.' })
  .int('The number of papers must be a whole number.')
  .min(1, 'The digest lists at least 1 paper.')
  .max(MAX_DIGEST_SIZE, `The digest lists at most ${MAX_DIGEST_SIZE} papers.`);

/** Checkbox semantics: present ("on", "1", "true") means yes. */
const Checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === '1' || v === 'true');

/** One alert: a keyword search and/or filters; at least one must be set. */
export const AlertInput = z
  .object({
    query: trimmed(200, 'The search'),
    category: trimmed(40, 'The category').refine((v) => v === null || /^[A-Za-z-]+(\.[A-Za-z-]+)?$/.test(v), 'A category looks like cs.LG or stat.ML.'),
    organization: trimmed(100, 'The organization').refine((v) => v === null || /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v), 'An organization is its short name as in its Paperboy address (letters, digits, - . _).'),
    author: trimmed(100, 'The author name'),
  })
  .refine((a) => a.query || a.category || a.organization || a.author, 'An alert needs a search, a category, an organization or an author.');

/** The subscribe form. */
export const SubscribeInput = z.object({
  email: EmailInput,
  time_zone: TimeZoneInput,
  digest: Checkbox,
  digest_size: DigestSizeInput.optional(),
  alert_query: trimmed(200, 'The search'),
});

/**
 * What a subscribe form asked for, carried (signed) in its confirmation link and applied only when the
 * owner confirms: a form sent by anyone for an address never changes that address's stored choices.
 */
export const SubscribeChoicesInput = z.object({
  timeZone: z.string().refine((v) => timeZones.has(v)),
  digest: z.boolean(),
  digestSize: z.number().int().min(1).max(MAX_DIGEST_SIZE),
  alertQuery: z.string().min(1).max(200).nullable(),
});

/** A subscribe form's choices (see `SubscribeChoicesInput`). */
export type SubscribeChoices = z.infer<typeof SubscribeChoicesInput>;

/** The preferences form. */
export const PreferencesInput = z.object({
  time_zone: TimeZoneInput,
  digest: Checkbox,
  digest_size: DigestSizeInput,
});

/** Turns a zod error into one message per form field ('' for the form as a whole). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    out[field] ??= issue.message;
  }
  return out;
}
