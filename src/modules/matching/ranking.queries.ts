import type { EntityManager } from 'typeorm';
import { cityDay, queryPrepared, queryRows } from '../../db/sql';
import type { AgeBand } from '../citizens/age-band';
import { IS_PENDING } from '../signals/signal-log';
import type { SignalKind } from '../signals/signal-kind';
import { epochWeightSql } from './affinity';
import type { RepeatRow } from './repeat-rate';
import { TREND_DAYS } from './scoring';
import type { FeatureCitizen } from './signal-features';

/**
 * The SQL a ranking reads (the citizen's own rows, the shared demand) and what the ranking's
 * fit reads (the citizens and their signals of a window).
 */

/** The citizen's row with their own rows that scoring needs (JSON arrays; personal ones null without personalisation). */
export interface CitizenRankingRows {
  id: string;
  districtCode: string;
  birthYear: number | null;
  tags: string[];
  personalization: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Per service: id, stored (epoch-scaled) score, signals, last signal's time. */
  history: [string, number, number, string][];
  downVoted: string[];
  interests: string[] | null;
  /**
   * Text and time of the recent requests and searches, newest first, with the service the
   * citizen was answered with and its score (null when none met the need).
   */
  requests: [string, string, string | null, number | null][] | null;
}

/**
 * The citizen's signals, read once for the two parts of a ranking's statement that need them
 * (the history's tail and the recent requests): each read of the signal log looks the citizen
 * up in every monthly partition, so one read instead of two halves the index lookups and heap
 * pages of a ranking. With whether each is past the rollup watermark (null: in the rollups).
 */
const OWN_SIGNALS = `own_signals AS MATERIALIZED (
    SELECT s.service_id, s.kind, s.rating, s.text, s.occurred_at, s.matched_service_id, s.match_score, s.unmet,
           ${IS_PENDING} AS pending
      FROM signal s, signal_rollup_watermark w WHERE s.citizen_id = $1)`;

/**
 * The citizen's own history per service: the stored scores plus their signals the rollup
 * worker has not applied yet (weighted as it will weigh them), so that a signal just recorded
 * counts in the next ranking. By service id, as the grouping has always given it (scoring
 * visits the history in this order).
 */
const HISTORY_WITH_TAIL = `SELECT service_id, sum(score) AS score, sum(signals)::int AS signals, max(last_at) AS last_at FROM (
    SELECT service_id, score, signals, last_at FROM citizen_service_score WHERE citizen_id = c.id
    UNION ALL
    SELECT s.service_id, ${epochWeightSql('s')}, 1, s.occurred_at FROM own_signals s
     WHERE s.pending AND s.service_id IS NOT NULL
  ) AS own GROUP BY service_id`;

/**
 * The citizen and everything of theirs a ranking reads, in one statement: their history, the
 * services they voted down, and with personalisation their interests and their `recentRequests`
 * latest requests and searches since `requestsSince`. Undefined for an unknown id (a UUID).
 */
export async function citizenRankingRows(
  db: EntityManager,
  citizenId: string,
  requestsSince: Date,
  recentRequests: number,
): Promise<CitizenRankingRows | undefined> {
  const [rows] = await queryPrepared<CitizenRankingRows>(
    db,
    `WITH ${OWN_SIGNALS}
     SELECT c.id, c.district_code AS "districtCode", c.birth_year AS "birthYear", c.tags, c.personalization,
            c.created_at AS "createdAt", c.updated_at AS "updatedAt",
            (SELECT coalesce(json_agg(json_build_array(service_id, score, signals, last_at) ORDER BY service_id), '[]')
               FROM (${HISTORY_WITH_TAIL}) h) AS history,
            (SELECT coalesce(json_agg(service_id), '[]') FROM vote WHERE citizen_id = c.id AND value = 'DOWN') AS "downVoted",
            CASE WHEN c.personalization THEN (SELECT coalesce(json_agg(category_id), '[]') FROM citizen_interest WHERE citizen_id = c.id) END AS interests,
            CASE WHEN c.personalization THEN (
              SELECT coalesce(json_agg(json_build_array(text, occurred_at, answered, answered_score) ORDER BY occurred_at DESC), '[]') FROM (
                SELECT text, occurred_at, CASE WHEN unmet IS FALSE THEN matched_service_id END AS answered,
                       CASE WHEN unmet IS FALSE THEN match_score END AS answered_score
                  FROM own_signals
                 WHERE kind IN ('REQUEST', 'SEARCH') AND text IS NOT NULL AND occurred_at > $2
                 ORDER BY occurred_at DESC LIMIT ${recentRequests}) recent) END AS requests
       FROM citizen c WHERE c.id = $1`,
    [citizenId, requestsSince],
  );
  return rows;
}

// ---- the shared demand

export interface ServiceStanding {
  upvotes: number;
  downvotes: number;
  ratingCount: number;
  ratingSum: number;
  /** Stored (epoch-scaled) citywide demand; multiply by decayFactor(now). */
  popularity: number;
  /** Citizen-days of views and uses across the city in the last TREND_DAYS city days, today's so far among them. */
  recentDemand: number;
  /** The signals behind them (every view and use): how busy the city is (ranking-demand.ts, smallCity). */
  recentSignals: number;
}

/** A service's stored (epoch-scaled) shared demand in a segment, and how many of the segment's citizens used it. */
export interface SegmentDemandRow {
  serviceId: string;
  score: number;
  citizens: number;
}

/** Stored (epoch-scaled) demand per service of a district, of one age band or (null) of all, with its users. */
export async function segmentDemandRows(
  db: EntityManager,
  districtCode: string,
  ageBand: string | null,
): Promise<SegmentDemandRow[]> {
  return queryRows<SegmentDemandRow>(
    db,
    `SELECT service_id AS "serviceId", sum(score) AS score, sum(citizens)::int AS citizens FROM segment_service_score
        WHERE district_code = $1 AND ($2::age_band IS NULL OR age_band = $2) GROUP BY service_id`,
    [districtCode, ageBand],
  );
}

/** Stored (epoch-scaled) demand per service of an age band across the city (its segments of every district), with its users. */
export async function ageBandDemandRows(db: EntityManager, ageBand: string): Promise<SegmentDemandRow[]> {
  return queryRows<SegmentDemandRow>(
    db,
    `SELECT service_id AS "serviceId", sum(score) AS score, sum(citizens)::int AS citizens FROM segment_service_score
        WHERE age_band = $1 GROUP BY service_id`,
    [ageBand],
  );
}

/** Each service's share of the demand among citizens of the age band with the tag (services without any left out). */
export async function cohortShareRows(
  db: EntityManager,
  ageBand: string,
  tag: string,
): Promise<{ serviceId: string; share: number }[]> {
  return queryRows<{ serviceId: string; share: number }>(
    db,
    `SELECT service_id AS "serviceId", share FROM (
             SELECT service_id, score / nullif(sum(score) OVER (), 0) AS share
               FROM cohort_service_score WHERE age_band = $1 AND tag = $2
           ) shares WHERE share IS NOT NULL`,
    [ageBand, tag],
  );
}

/** Votes, ratings, popularity and recent demand of every published service (zeros when it has none). */
export async function serviceStandingRows(db: EntityManager): Promise<(ServiceStanding & { id: string })[]> {
  return queryRows<ServiceStanding & { id: string }>(
    db,
    `SELECT s.id, coalesce(st.upvotes, 0) AS upvotes, coalesce(st.downvotes, 0) AS downvotes,
              coalesce(st.rating_count, 0) AS "ratingCount", coalesce(st.rating_sum, 0) AS "ratingSum",
              coalesce(p.score, 0) AS popularity, coalesce(r.citizens, 0)::float8 AS "recentDemand",
              coalesce(r.signals, 0)::float8 AS "recentSignals"
         FROM service s LEFT JOIN service_stats st ON st.service_id = s.id LEFT JOIN service_popularity p ON p.service_id = s.id
         LEFT JOIN (
           SELECT service_id, sum(citizens) AS citizens, sum(count) AS signals FROM service_activity_daily
            WHERE day > ${cityDay('now()')} - ${TREND_DAYS} AND kind IN ('VIEW', 'USE') GROUP BY service_id
         ) r ON r.service_id = s.id
        WHERE s.status = 'PUBLISHED'`,
  );
}

/**
 * The (citizen, service) pairs of citizen_service_score with a signal since `since`, grouped by
 * service, the citizen's signals in its category (at least 2) and their signals about it: what
 * the city's repeat rate is read from (repeat-rate.ts). One pass over the pairs, grouped twice.
 */
export async function repeatRows(db: EntityManager, since: Date): Promise<RepeatRow[]> {
  return queryRows<RepeatRow>(
    db,
    `SELECT service_id AS "serviceId", category_signals AS "categorySignals", signals AS "serviceSignals",
            count(*)::int AS citizens
       FROM (SELECT h.service_id, h.signals,
                    sum(h.signals) OVER (PARTITION BY h.citizen_id, sv.category_id)::int AS category_signals
               FROM citizen_service_score h JOIN service sv ON sv.id = h.service_id
              WHERE h.last_at >= $1 AND h.signals > 0) pairs
      WHERE category_signals >= 2
      GROUP BY 1, 2, 3`,
    [since],
  );
}

/**
 * The transaction that wrote the neighbours (the xmin of a row: the refresh rewrites them all
 * in one INSERT), null when there are none.
 */
export async function neighboursWrittenBy(db: EntityManager): Promise<string | null> {
  const [written] = await queryRows<{ writtenBy: string }>(
    db,
    'SELECT xmin::text AS "writtenBy" FROM service_neighbour LIMIT 1',
  );
  return written?.writtenBy ?? null;
}

/** A neighbour pair as stored: its similarity, co-users and the co-users it would have had by chance. */
export interface NeighbourRow {
  serviceId: string;
  neighbourId: string;
  similarity: number;
  coCitizens: number;
  expectedCoCitizens: number;
}

/** Every service's neighbours, by service then best first. */
export async function neighbourRows(db: EntityManager): Promise<NeighbourRow[]> {
  return queryRows<NeighbourRow>(
    db,
    `SELECT service_id AS "serviceId", neighbour_id AS "neighbourId", similarity, co_citizens AS "coCitizens",
            expected_co_citizens AS "expectedCoCitizens" FROM service_neighbour
        ORDER BY service_id, similarity DESC, neighbour_id`,
  );
}

// ---- what the fit reads

/** The citizens who allow personalisation, with their district's name and their interests. */
export async function personalisedCitizens(db: EntityManager): Promise<FeatureCitizen[]> {
  return queryRows<FeatureCitizen>(
    db,
    `SELECT c.id, c.district_code AS "districtCode", coalesce(d.name, '') AS "districtName", c.birth_year AS "birthYear", c.tags,
                coalesce((SELECT array_agg(category_id) FROM citizen_interest i WHERE i.citizen_id = c.id), '{}') AS "interestCategoryIds"
           FROM citizen c LEFT JOIN district d ON d.code = c.district_code
          WHERE c.personalization`,
  );
}

/** A citizen's signal of a service, or their request or search text (then `text` is set). */
export interface FitSignalRow {
  citizenId: string;
  serviceId: string | null;
  kind: SignalKind;
  stars: number | null;
  at: Date;
  districtCode: string;
  ageBand: AgeBand | null;
  text: string | null;
}

/** Citizens' signals of a service, and their request and search texts, that occurred in [since, before). */
export async function fitSignalRows(db: EntityManager, since: Date, before: Date): Promise<FitSignalRow[]> {
  return queryRows<FitSignalRow>(
    db,
    `SELECT citizen_id AS "citizenId", service_id AS "serviceId", kind, rating AS stars, occurred_at AS at,
                district_code AS "districtCode", age_band AS "ageBand", CASE WHEN kind IN ('REQUEST', 'SEARCH') THEN text END AS text
           FROM signal WHERE occurred_at >= $1 AND occurred_at < $2 AND citizen_id IS NOT NULL
            AND (service_id IS NOT NULL OR (kind IN ('REQUEST', 'SEARCH') AND text IS NOT NULL))`,
    [since, before],
  );
}
