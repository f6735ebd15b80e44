import type { EntityManager } from 'typeorm';
import { epochWeightSql } from './affinity';
import { APPLIED_SIGNALS, lockDerivedTables } from '../signals/signal-log';

/**
 * Ratings of at most this many stars are not demand that recommends a service to others:
 * they stay out of the shared aggregates (popularity, segment, circumstance), so that poor
 * ratings can only lower a service. They still count in the rater's own history.
 */
export const LOW_RATING_STARS = 2;

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
    SELECT citizen_id, service_id, age_band, district_code, occurred_at, ${epochWeightSql()} AS w,
           coalesce(kind = 'RATING' AND rating <= ${LOW_RATING_STARS}, false) AS low_rating
      FROM inserted WHERE service_id IS NOT NULL
  ), shared AS (
    SELECT * FROM weighted WHERE NOT low_rating
  ), popularity AS (
    INSERT INTO service_popularity AS t (service_id, score)
    SELECT service_id, sum(w) FROM shared GROUP BY 1 ORDER BY 1
    ON CONFLICT (service_id) DO UPDATE SET score = t.score + EXCLUDED.score
  ), segment AS (
    INSERT INTO segment_service_score AS t (district_code, age_band, service_id, score)
    SELECT district_code, age_band, service_id, sum(w) FROM shared WHERE age_band IS NOT NULL
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (district_code, age_band, service_id) DO UPDATE SET score = t.score + EXCLUDED.score
  ), cohort AS (
    INSERT INTO cohort_service_score AS t (tag, age_band, service_id, score)
    SELECT tag, w.age_band, w.service_id, sum(w.w) FROM shared w
      JOIN citizen c ON c.id = w.citizen_id CROSS JOIN unnest(c.tags) AS tag
     WHERE w.age_band IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tag, age_band, service_id) DO UPDATE SET score = t.score + EXCLUDED.score
  ), personal AS (
    INSERT INTO citizen_service_score AS t (citizen_id, service_id, score, signals, last_at)
    SELECT citizen_id, service_id, sum(w), count(*), max(occurred_at) FROM weighted GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (citizen_id, service_id) DO UPDATE
      SET score = t.score + EXCLUDED.score, signals = t.signals + EXCLUDED.signals, last_at = greatest(t.last_at, EXCLUDED.last_at)
  )`;
}

/**
 * Recomputes every matching aggregate from the signals below the rollup watermark, under the
 * worker's lock (the worker adds the others, once). Call it in a transaction.
 */
export async function rebuildMatchingAggregates(db: EntityManager): Promise<void> {
  await lockDerivedTables(db);
  for (const table of [
    'service_popularity',
    'segment_service_score',
    'cohort_service_score',
    'citizen_service_score',
  ]) {
    await db.query(`DELETE FROM ${table}`);
  }
  await db.query(
    `WITH inserted AS (
       SELECT citizen_id, service_id, kind, rating, age_band, district_code, occurred_at FROM ${APPLIED_SIGNALS} WHERE service_id IS NOT NULL
     ), ${addToMatchingAggregates()}
     SELECT 1`,
  );
  await refreshServiceNeighbours(db);
}

export const NEIGHBOURS_PER_SERVICE = 20;
/** Pairs used together by fewer citizens than this are noise. */
export const MIN_CO_CITIZENS = 2;

/**
 * Item-to-item neighbours: cosine similarity of services over the citizens who used both
 * (binary, from citizen_service_score), the best NEIGHBOURS_PER_SERVICE kept per service.
 * Run by the refresh job, never per request.
 */
export async function refreshServiceNeighbours(db: EntityManager): Promise<number> {
  await db.query('DELETE FROM service_neighbour');
  const [{ count }] = (await db.query(
    `WITH degree AS (
       SELECT service_id, count(*)::float8 AS d FROM citizen_service_score GROUP BY service_id
     ), pairs AS (
       SELECT a.service_id, b.service_id AS neighbour_id, count(*)::int AS co
         FROM citizen_service_score a JOIN citizen_service_score b ON b.citizen_id = a.citizen_id AND b.service_id <> a.service_id
        GROUP BY 1, 2 HAVING count(*) >= $1
     ), ranked AS (
       SELECT p.service_id, p.neighbour_id, p.co, p.co / sqrt(da.d * db.d) AS similarity,
              row_number() OVER (PARTITION BY p.service_id ORDER BY p.co / sqrt(da.d * db.d) DESC, p.neighbour_id) AS rn
         FROM pairs p JOIN degree da ON da.service_id = p.service_id JOIN degree db ON db.service_id = p.neighbour_id
     ), stored AS (
       INSERT INTO service_neighbour (service_id, neighbour_id, similarity, co_citizens)
       SELECT service_id, neighbour_id, similarity, co FROM ranked WHERE rn <= $2
       RETURNING 1
     )
     SELECT count(*)::int AS count FROM stored`,
    [MIN_CO_CITIZENS, NEIGHBOURS_PER_SERVICE],
  )) as { count: number }[];
  return count;
}

/**
 * Fills the best match, score and unmet flag of REQUEST signals loaded without them (COPY).
 * Each distinct text is matched once; one UPDATE joins them all (one pass over signals).
 * Runs inside the caller's transaction (the temporary table lives until its commit).
 */
export async function backfillRequestMatches(
  db: EntityManager,
  match: (text: string) => { serviceId: string; score: number } | undefined,
  threshold: number,
): Promise<number> {
  const texts = (await db.query(
    `SELECT DISTINCT text FROM signal WHERE kind = 'REQUEST' AND match_score IS NULL AND unmet IS NULL AND text IS NOT NULL`,
  )) as { text: string }[];
  if (texts.length === 0) return 0;
  const matched = texts.map(({ text }) => ({ text, best: match(text) }));
  // A real (analysed) table, so the planner hash-joins it with the signals instead of
  // looping over an unnest() it guesses to hold 100 rows.
  await db.query(
    'CREATE TEMPORARY TABLE request_match (text text PRIMARY KEY, service_id uuid, score real) ON COMMIT DROP',
  );
  await db.query('INSERT INTO request_match SELECT * FROM unnest($1::text[], $2::uuid[], $3::real[])', [
    matched.map((m) => m.text),
    matched.map((m) => m.best?.serviceId ?? null),
    matched.map((m) => m.best?.score ?? null),
  ]);
  await db.query('ANALYZE request_match');
  const [{ count }] = (await db.query(
    `WITH changed AS (
       UPDATE signal s SET matched_service_id = m.service_id, match_score = m.score, unmet = coalesce(m.score, 0) < $1
         FROM request_match m
        WHERE s.kind = 'REQUEST' AND s.text = m.text AND s.match_score IS NULL AND s.unmet IS NULL
       RETURNING 1
     )
     SELECT count(*)::int AS count FROM changed`,
    [threshold],
  )) as { count: number }[];
  return count;
}
