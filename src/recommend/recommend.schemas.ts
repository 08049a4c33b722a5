/** The forms and queries of the For-you pages and API, with their limits. */
import { z } from 'zod';

const back = z.string().max(500).optional();

/** The listing days For you ranks when the reader does not say (the page, the API, the private feeds). */
export const DEFAULT_DAYS = 7;
/** How long a reader is asked to wait before asking again while recommendations are being prepared (page refresh, Retry-After). */
export const PREPARING_RETRY_SECONDS = 3;

/** POST /for-you/steer: more like this paper, or never use this paper / author / term. */
export const SteerForm = z.object({
  kind: z.enum(['more', 'paper', 'author', 'term'], { error: 'Say more, paper, author or term.' }),
  value: z.string().trim().min(1, 'Say which paper, author or term.').max(200, 'That is longer than 200 characters.'),
  undo: z.enum(['1']).optional(),
  back,
});

/** POST /for-you/onboarding: the categories picked (`category` repeated). */
export const OnboardingForm = z.object({
  category: z.union([z.string().max(40), z.array(z.string().max(40)).max(50)]).optional(),
});

/** ?days= and ?limit= of the page and the API, and the API's ?collection=. */
export const RecommendQuery = z.object({
  days: z.coerce.number({ error: 'days is a number of listing days.' }).int().min(1, 'days is at least 1.').max(30, 'days is at most 30.').default(DEFAULT_DAYS),
  limit: z.coerce.number({ error: 'limit is a number.' }).int().min(1, 'limit is at least 1.').max(100, 'limit is at most 100.').default(30),
  collection: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'collection is a collection id.').optional(),
});
