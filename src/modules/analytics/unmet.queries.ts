import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';

/** The SQL of unmet demand: the unmet requests and searches of a window, and the catalogue's words they are clustered by. */

export interface UnmetRequest {
  citizenId: string;
  text: string;
  districtCode: string;
  categoryId: string | null;
  matchedServiceId: string | null;
  matchScore: number | null;
  kind: 'REQUEST' | 'SEARCH';
  /** The need stored when the request was understood (null for signals stored without one). */
  needCode: string | null;
}

/**
 * The statement of `readUnmetRequests`. Each kind is its own arm of an OR, worded as the
 * predicate of its partial index (signal_unmet_request_idx: kind = 'REQUEST' AND unmet;
 * signal_unmet_search_idx: kind = 'SEARCH' AND unmet), so that the planner can read the window
 * through both indexes (a BitmapOr): `kind IN ('REQUEST', 'SEARCH') AND unmet` implies neither
 * predicate, and was read through the index of every signal's time instead.
 */
export function unmetRequestsStatement(
  from: Date,
  to: Date,
  districtCode: string | null,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [from.toISOString(), to.toISOString()];
  const sql = `SELECT citizen_id AS "citizenId", text, district_code AS "districtCode", category_id AS "categoryId",
            matched_service_id AS "matchedServiceId", match_score AS "matchScore", kind,
            need_code AS "needCode"
       FROM signal
      WHERE ((kind = 'REQUEST' AND unmet) OR (kind = 'SEARCH' AND unmet))
            AND occurred_at >= $1 AND occurred_at < $2 AND text IS NOT NULL
            ${districtCode ? `AND district_code = $${params.push(districtCode)}` : ''}
      ORDER BY occurred_at, id`;
  return { sql, params };
}

/**
 * Free-text requests and searches of [from, to) that no published service met (REQUEST and
 * SEARCH signals with unmet = true, read through their partial indexes), of one district or
 * all; oldest first.
 */
export async function readUnmetRequests(
  db: EntityManager,
  from: Date,
  to: Date,
  districtCode: string | null,
): Promise<UnmetRequest[]> {
  const { sql, params } = unmetRequestsStatement(from, to, districtCode);
  return queryRows<UnmetRequest>(db, sql, params);
}

/**
 * Each word of the published services' search vectors with the number of services it occurs
 * in (ts_stat counts them in one statement).
 */
export async function publishedWordCounts(db: EntityManager): Promise<{ word: string; ndoc: number }[]> {
  return queryRows<{ word: string; ndoc: number }>(
    db,
    `SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM service WHERE status = ''PUBLISHED'' AND search_vector IS NOT NULL')`,
  );
}
