/** The options of `paperboy eval --recommend` as commander hands them over (strings), checked and typed. */
import { z } from 'zod';

const int = (name: string, min: number, max: number) =>
  z.coerce.number({ error: `--${name} must be a number.` }).int(`--${name} must be a whole number.`).min(min, `--${name} must be at least ${min}.`).max(max, `--${name} must be at most ${max}.`);

/** Checks the recommendation evaluation's options. */
export const RecommendEvalCliOptions = z.object({
  corpus: z.string().max(4096).optional(),
  cutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '--cutoff must be a day, YYYY-MM-DD.'),
  windowDays: int('window-days', 1, 60),
  users: int('users', 1, 100_000),
  seed: int('seed', 0, 2 ** 31 - 1),
});
