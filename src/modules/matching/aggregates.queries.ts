import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import { APPLIED_SIGNALS } from '../signals/signal-log';
import { SignalKind } from '../signals/signal-kind';
import { epochScaleSql, KIND_WEIGHTS, kindWeightSql } from './affinity';

/**
 * The SQL of matching's derived tables: the aggregates of the signals (service popularity,
 * segment, cohort and personal scores), the services' neighbours, the request matches of
 * signals loaded without them.
 */

/**
 * Ratings of at most this many stars are not demand that recommends a service to others:
 * they stay out of the shared aggregates (popularity, segment, circumstance), so that poor
 * ratings can only lower a service. They still count in the rater's own history.
 */
export const LOW_RATING_STARS = 2;

/**
 * The most that one citizen's demand for one service, at its decayed value, counts in the
 * shared aggregates (popularity, segment, circumstance): the weight of 15 uses. A weekly user
 * (a use and a view each week: 36 at the steady state) counts in full; an account that sends a
 * thousand uses in a minute counts as 15 uses, not as a thousand neighbours. The citizen's own
 * history keeps every signal.
 */
export const SHARED_DEMAND_CAP = 15 * KIND_WEIGHTS[SignalKind.USE];

/**
 * The kind of signal that makes a citizen one of a segment's users of a service
 * (`segment_service_citizen`, counted in `segment_service_score.citizens`): a segment reason
 * says its citizens use the service (…居民近期常用), so views alone do not make them users.
 */
export const SEGMENT_MEMBER_KIND = SignalKind.USE;

/**
 * The statement parts that add freshly inserted signals (a CTE named `inserted` returning
 * citizen_id, service_id, kind, rating, age_band, district_code, occurred_at) to the
 * matching aggregates. Each upsert groups first (a key once per statement) and sorts its
 * keys, so concurrent batches lock rows in one order and cannot deadlock.
 */
export const ADD_TO_MATCHING_AGGREGATES = addToMatchingAggregates();

/** ADD_TO_MATCHING_AGGREGATES with the half-life of now (DECAY, which the tuner varies). */
function addToMatchingAggregates(): string {
  return `
  weighted AS (
    -- The time's scale computed once per signal (a numeric power, the statement's costliest part;
    -- OFFSET 0 keeps the planner from computing it again for each use).
    SELECT citizen_id, service_id, age_band, district_code, occurred_at, ${kindWeightSql()} * scale AS w,
           coalesce(kind = 'RATING' AND rating <= ${LOW_RATING_STARS}, false) AS low_rating,
           ${SHARED_DEMAND_CAP} * scale AS cap
      FROM (SELECT *, ${epochScaleSql()} AS scale FROM inserted WHERE service_id IS NOT NULL OFFSET 0) i
  ), own_added AS (
    SELECT citizen_id, service_id, sum(w) AS w, count(*) AS signals, max(occurred_at) AS last_at
      FROM weighted GROUP BY 1, 2
  ), personal AS (
    INSERT INTO citizen_service_score AS t (citizen_id, service_id, score, signals, last_at)
    SELECT citizen_id, service_id, w, signals, last_at FROM own_added ORDER BY 1, 2
    ON CONFLICT (citizen_id, service_id) DO UPDATE
      SET score = t.score + EXCLUDED.score, signals = t.signals + EXCLUDED.signals, last_at = greatest(t.last_at, EXCLUDED.last_at)
    RETURNING citizen_id, service_id, score
  ), counted AS (
    -- The part of each signal that keeps the citizen's own demand for the service (stored before
    -- this statement, read off the upsert, then their earlier signals of it) within the cap at
    -- its time.
    SELECT w.citizen_id, w.service_id, w.age_band, w.district_code, w.low_rating,
           least(w.w, greatest(0, w.cap - (p.score - a.w) - coalesce(sum(w.w) OVER (
             PARTITION BY w.citizen_id, w.service_id ORDER BY w.occurred_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))) AS w
      FROM weighted w JOIN own_added a USING (citizen_id, service_id) JOIN personal p USING (citizen_id, service_id)
  ), shared AS (
    SELECT * FROM counted WHERE NOT low_rating AND w > 0
  ), popularity AS (
    INSERT INTO service_popularity AS t (service_id, score)
    SELECT service_id, sum(w) FROM shared GROUP BY 1 ORDER BY 1
    ON CONFLICT (service_id) DO UPDATE SET score = t.score + EXCLUDED.score
  ), segment_members AS (
    -- The citizens new to a segment's users of a service (SEGMENT_MEMBER_KIND): a segment reason needs a few.
    INSERT INTO segment_service_citizen (district_code, age_band, service_id, citizen_id)
    SELECT district_code, age_band, service_id, citizen_id FROM inserted
     WHERE kind = '${SEGMENT_MEMBER_KIND}' AND service_id IS NOT NULL AND age_band IS NOT NULL
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT DO NOTHING
    RETURNING district_code, age_band, service_id
  ), segment AS (
    INSERT INTO segment_service_score AS t (district_code, age_band, service_id, score, citizens)
    SELECT district_code, age_band, service_id, coalesce(d.score, 0), coalesce(m.citizens, 0)
      FROM (SELECT district_code, age_band, service_id, sum(w) AS score FROM shared WHERE age_band IS NOT NULL
             GROUP BY 1, 2, 3) d
      FULL JOIN (SELECT district_code, age_band, service_id, count(*)::int AS citizens FROM segment_members
                  GROUP BY 1, 2, 3) m USING (district_code, age_band, service_id)
     ORDER BY 1, 2, 3
    ON CONFLICT (district_code, age_band, service_id) DO UPDATE
      SET score = t.score + EXCLUDED.score, citizens = t.citizens + EXCLUDED.citizens
  ), cohort AS (
    INSERT INTO cohort_service_score AS t (tag, age_band, service_id, score)
    SELECT tag, w.age_band, w.service_id, sum(w.w) FROM shared w
      JOIN citizen c ON c.id = w.citizen_id CROSS JOIN unnest(c.tags) AS tag
     WHERE w.age_band IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tag, age_band, service_id) DO UPDATE SET score = t.score + EXCLUDED.score
  )`;
}

/**
 * Fills the segments' users (`segment_service_citizen`) and their counts in
 * `segment_service_score.citizens` from the signals below the watermark, leaving the scores as
 * they are: the migration that introduced them.
 */
export const ADD_SEGMENT_CITIZENS = `WITH members AS (
    INSERT INTO segment_service_citizen (district_code, age_band, service_id, citizen_id)
    SELECT DISTINCT district_code, age_band, service_id, citizen_id FROM ${APPLIED_SIGNALS}
     WHERE kind = '${SEGMENT_MEMBER_KIND}' AND service_id IS NOT NULL AND age_band IS NOT NULL
    RETURNING district_code, age_band, service_id
  )
  INSERT INTO segment_service_score AS t (district_code, age_band, service_id, citizens)
  SELECT district_code, age_band, service_id, count(*)::int FROM members GROUP BY 1, 2, 3
  ON CONFLICT (district_code, age_band, service_id) DO UPDATE SET citizens = EXCLUDED.citizens`;

/** Empties the four matching aggregates and the segments' users. */
export async function clearMatchingAggregates(db: EntityManager): Promise<void> {
  for (const table of [
    'service_popularity',
    'segment_service_citizen',
    'segment_service_score',
    'cohort_service_score',
    'citizen_service_score',
  ]) {
    await db.query(`DELETE FROM ${table}`);
  }
}

/** Adds the signals below the rollup watermark to the matching aggregates (emptied first), with the half-life of now. */
export async function addAppliedSignalsToMatchingAggregates(db: EntityManager): Promise<void> {
  await db.query(
    `WITH inserted AS (
       SELECT citizen_id, service_id, kind, rating, age_band, district_code, occurred_at FROM ${APPLIED_SIGNALS} WHERE service_id IS NOT NULL
     ), ${addToMatchingAggregates()}
     SELECT 1`,
  );
}

/**
 * Rewrites service_neighbour: cosine similarity of services over the citizens who used both
 * (binary, from citizen_service_score) times co / (co + `shrinkage`), co the citizens who used
 * both (aggregates.ts, shrunkCoUse), pairs of fewer than `minCoCitizens` left out, the best
 * `perService` kept per service, in one INSERT, each with the co-users it would have had by
 * chance (aggregates.ts, expectedCoUse). Returns the rows written.
 */
export async function replaceServiceNeighbours(
  db: EntityManager,
  minCoCitizens: number,
  perService: number,
  shrinkage = 0,
): Promise<number> {
  await db.query('DELETE FROM service_neighbour');
  const [{ count }] = await queryRows<{ count: number }>(
    db,
    `WITH degree AS (
       SELECT service_id, count(*)::float8 AS d FROM citizen_service_score GROUP BY service_id
     ), activity AS (
       SELECT sum(n * n) / (sum(n) * sum(n)) AS share FROM (SELECT count(*)::float8 AS n FROM citizen_service_score GROUP BY citizen_id) c
     ), pairs AS (
       SELECT a.service_id, b.service_id AS neighbour_id, count(*)::int AS co
         FROM citizen_service_score a JOIN citizen_service_score b ON b.citizen_id = a.citizen_id AND b.service_id <> a.service_id
        GROUP BY 1, 2 HAVING count(*) >= $1
     ), ranked AS (
       SELECT p.service_id, p.neighbour_id, p.co, p.co / sqrt(da.d * db.d) * p.co / (p.co + $3::float8) AS similarity,
              da.d * db.d * (SELECT share FROM activity) AS expected_co,
              row_number() OVER (PARTITION BY p.service_id ORDER BY p.co / sqrt(da.d * db.d) * p.co / (p.co + $3::float8) DESC, p.neighbour_id) AS rn
         FROM pairs p JOIN degree da ON da.service_id = p.service_id JOIN degree db ON db.service_id = p.neighbour_id
     ), stored AS (
       INSERT INTO service_neighbour (service_id, neighbour_id, similarity, co_citizens, expected_co_citizens)
       SELECT service_id, neighbour_id, similarity, co, expected_co FROM ranked WHERE rn <= $2
       RETURNING 1
     )
     SELECT count(*)::int AS count FROM stored`,
    [minCoCitizens, perService, shrinkage],
  );
  return count;
}

/** How many citizen × service rows the neighbours are made from, counted up to `limit`. */
export async function citizenServiceRowsUpTo(db: EntityManager, limit: number): Promise<number> {
  const [{ count }] = await queryRows<{ count: number }>(
    db,
    'SELECT count(*)::int AS count FROM (SELECT 1 FROM citizen_service_score LIMIT $1) AS r',
    [limit],
  );
  return count;
}

/** The distinct texts of REQUEST signals stored without a match (loaded by COPY). */
export async function unmatchedRequestTexts(db: EntityManager): Promise<string[]> {
  const texts = await queryRows<{ text: string }>(
    db,
    `SELECT DISTINCT text FROM signal WHERE kind = 'REQUEST' AND match_score IS NULL AND unmet IS NULL AND text IS NOT NULL`,
  );
  return texts.map((t) => t.text);
}

/**
 * Sets the best match, score and unmet flag (score under `threshold`, or none) of the REQUEST
 * signals stored without them, from each text's match, in one UPDATE; returns how many. The
 * matches go through a temporary table, analysed (so the planner hash-joins it with the
 * signals instead of looping over an unnest() it guesses to hold 100 rows), dropped at commit:
 * run inside a transaction.
 */
export async function applyRequestMatches(
  db: EntityManager,
  matches: readonly { text: string; serviceId: string | null; score: number | null }[],
  threshold: number,
): Promise<number> {
  await db.query(
    'CREATE TEMPORARY TABLE request_match (text text PRIMARY KEY, service_id uuid, score real) ON COMMIT DROP',
  );
  await db.query('INSERT INTO request_match SELECT * FROM unnest($1::text[], $2::uuid[], $3::real[])', [
    matches.map((m) => m.text),
    matches.map((m) => m.serviceId),
    matches.map((m) => m.score),
  ]);
  await db.query('ANALYZE request_match');
  const [{ count }] = await queryRows<{ count: number }>(
    db,
    `WITH changed AS (
       UPDATE signal s SET matched_service_id = m.service_id, match_score = m.score, unmet = coalesce(m.score, 0) < $1
         FROM request_match m
        WHERE s.kind = 'REQUEST' AND s.text = m.text AND s.match_score IS NULL AND s.unmet IS NULL
       RETURNING 1
     )
     SELECT count(*)::int AS count FROM changed`,
    [threshold],
  );
  return count;
}
