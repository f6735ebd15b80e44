import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ratings of 1 or 2 stars no longer count as demand in the shared matching aggregates
 * (service_popularity, segment_service_score, cohort_service_score): a poor rating must not
 * recommend a service to others. Their weights, as they were added (epoch-scaled, 60-day
 * half-life from 2026-01-01), are taken out again; the rater's own history keeps them.
 */
const LOW_RATINGS = `
  SELECT s.citizen_id, s.service_id, s.district_code, s.age_band,
         greatest(0.25, 1 + (s.rating - 3) * 0.5)
           * power(2, extract(epoch FROM s.occurred_at - timestamptz '2026-01-01T00:00:00.000Z') / 5184000) AS w
    FROM signal s WHERE s.kind = 'RATING' AND s.rating <= 2 AND s.service_id IS NOT NULL`;

export class LowRatingsOutOfSharedDemand1795983000000 implements MigrationInterface {
  name = 'LowRatingsOutOfSharedDemand1795983000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE service_popularity t SET score = greatest(0, t.score - x.w)
         FROM (SELECT service_id, sum(w) AS w FROM (${LOW_RATINGS}) low GROUP BY 1) x
        WHERE t.service_id = x.service_id`,
    );
    await q.query(
      `UPDATE segment_service_score t SET score = greatest(0, t.score - x.w)
         FROM (SELECT district_code, age_band, service_id, sum(w) AS w FROM (${LOW_RATINGS}) low
                WHERE age_band IS NOT NULL GROUP BY 1, 2, 3) x
        WHERE (t.district_code, t.age_band, t.service_id) = (x.district_code, x.age_band, x.service_id)`,
    );
    await q.query(
      `UPDATE cohort_service_score t SET score = greatest(0, t.score - x.w)
         FROM (SELECT tag, low.age_band, low.service_id, sum(low.w) AS w FROM (${LOW_RATINGS}) low
                 JOIN citizen c ON c.id = low.citizen_id CROSS JOIN unnest(c.tags) AS tag
                WHERE low.age_band IS NOT NULL GROUP BY 1, 2, 3) x
        WHERE (t.tag, t.age_band, t.service_id) = (x.tag, x.age_band, x.service_id)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE service_popularity t SET score = t.score + x.w
         FROM (SELECT service_id, sum(w) AS w FROM (${LOW_RATINGS}) low GROUP BY 1) x
        WHERE t.service_id = x.service_id`,
    );
    await q.query(
      `UPDATE segment_service_score t SET score = t.score + x.w
         FROM (SELECT district_code, age_band, service_id, sum(w) AS w FROM (${LOW_RATINGS}) low
                WHERE age_band IS NOT NULL GROUP BY 1, 2, 3) x
        WHERE (t.district_code, t.age_band, t.service_id) = (x.district_code, x.age_band, x.service_id)`,
    );
    await q.query(
      `UPDATE cohort_service_score t SET score = t.score + x.w
         FROM (SELECT tag, low.age_band, low.service_id, sum(low.w) AS w FROM (${LOW_RATINGS}) low
                 JOIN citizen c ON c.id = low.citizen_id CROSS JOIN unnest(c.tags) AS tag
                WHERE low.age_band IS NOT NULL GROUP BY 1, 2, 3) x
        WHERE (t.tag, t.age_band, t.service_id) = (x.tag, x.age_band, x.service_id)`,
    );
  }
}
