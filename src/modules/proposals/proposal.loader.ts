import { DataLoader } from '../../core/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { groupByKeys } from '../../db/sql';
import { queryTokens } from '../../text';
import { recentUnmetRequests } from './proposals.queries';
import { Review } from './review.entity';

/** Reviews of each proposal, oldest first. */
export function createProposalReviewsLoader(db: EntityManager) {
  return new DataLoader<string, Review[]>(async (proposalIds) => {
    const rows = await db.find(Review, {
      where: { proposalId: In([...proposalIds]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return groupByKeys(proposalIds, rows, (r) => r.proposalId);
  });
}

export interface UnmetRequest {
  id: string;
  citizenId: string;
  text: string;
  districtCode: string;
  needCode: string | null;
  /** The request's words (as the text matcher reads them), segmented once per request. */
  words: ReadonlySet<string>;
}

/** Unmet requests read for demand evidence, at most: the newest this many of the window. */
export const MAX_EVIDENCE_REQUESTS = 5000;

/**
 * Recent unmet free-text requests (REQUEST signals with unmet = true, through their partial
 * index), newest first, keyed by the window in days: read once per request however many
 * proposals ask for their demand evidence.
 */
export function createRecentUnmetRequestsLoader(db: EntityManager) {
  return new DataLoader<number, UnmetRequest[]>(async (windows) =>
    Promise.all(
      windows.map(async (days) => {
        const rows = await recentUnmetRequests(db, days, MAX_EVIDENCE_REQUESTS);
        return rows.map((row) => ({ ...row, words: new Set(queryTokens(row.text)) }));
      }),
    ),
  );
}
