import { DataLoader } from '../../core/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { groupByKeys, queryRows } from '../../db/sql';
import { queryTokens } from '../../text';
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
  citizenId: string;
  text: string;
  districtCode: string;
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
        const rows = await queryRows<Omit<UnmetRequest, 'words'>>(
          db,
          `SELECT citizen_id AS "citizenId", text, district_code AS "districtCode"
             FROM signal
            WHERE kind = 'REQUEST' AND unmet AND text IS NOT NULL AND occurred_at >= now() - make_interval(days => $1)
            ORDER BY occurred_at DESC, id DESC
            LIMIT ${MAX_EVIDENCE_REQUESTS}`,
          [days],
        );
        return rows.map((row) => ({ ...row, words: new Set(queryTokens(row.text)) }));
      }),
    ),
  );
}
