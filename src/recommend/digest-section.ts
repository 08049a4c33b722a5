/**
 * The digest's "Recommended for you" section: for each subscriber with an account, the window's papers
 * ranked by the account's model, leaving out what other sections and earlier digests hold.
 */
import type { Db } from '../db/database.ts';
import type { RecommendSection } from '../digest/compose.ts';
import { accountsOfSubscribers } from './recommend.repo.ts';
import { recommendationsFor } from './recommend.service.ts';

/** Papers in the section. */
export const DIGEST_RECOMMENDATIONS = 5;

/** subscriber id → their section's ranker (undefined for subscribers without an account). */
export async function digestRecommender(db: Db, subscriberIds: readonly number[]): Promise<(subscriberId: number) => RecommendSection | undefined> {
  const accounts = await accountsOfSubscribers(db.kysely, subscriberIds);
  return (subscriberId) => {
    const userId = accounts.get(subscriberId);
    if (userId === undefined) return undefined;
    return async (window, taken) => {
      const list = await recommendationsFor(db, userId, { days: 1, limit: DIGEST_RECOMMENDATIONS, exclude: taken, window, waitMs: Infinity });
      return list.items.map((i) => ({ id: i.paper.id, why: i.why }));
    };
  };
}
