import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the entities cannot say: the full-text index of the catalogue, the Wilson score
 * function, and the triggers that keep vote and rating counters exact under concurrency.
 */
export class SearchAndCounters1795927575757 implements MigrationInterface {
  name = 'SearchAndCounters1795927575757';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX service_search_vector_idx ON service USING gin (search_vector)`);
    await q.query(`CREATE INDEX service_tags_idx ON service USING gin (tags)`);
    await q.query(`CREATE INDEX service_activity_daily_day_idx ON service_activity_daily (day, kind)`);

    await q.query(`
      CREATE FUNCTION wilson_lower_bound(up integer, down integer) RETURNS double precision
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN up + down = 0 THEN 0::double precision ELSE
          ((up::double precision / (up + down)) + 1.9208 / (up + down)
           - 1.96 * sqrt((up::double precision / (up + down)) * (1 - up::double precision / (up + down)) / (up + down)
                         + 0.9604 / ((up + down)::double precision ^ 2)))
          / (1 + 3.8416 / (up + down)) END
      $$`);

    await q.query(`
      CREATE FUNCTION vote_counters_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        d_up integer := 0;
        d_down integer := 0;
        sid uuid;
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          sid := OLD.service_id;
          IF OLD.value = 'UP' THEN d_up := d_up - 1; ELSE d_down := d_down - 1; END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          sid := NEW.service_id;
          IF NEW.value = 'UP' THEN d_up := d_up + 1; ELSE d_down := d_down + 1; END IF;
        END IF;
        IF d_up <> 0 OR d_down <> 0 THEN
          INSERT INTO service_stats AS st (service_id, upvotes, downvotes) VALUES (sid, d_up, d_down)
          ON CONFLICT (service_id) DO UPDATE
            SET upvotes = st.upvotes + EXCLUDED.upvotes, downvotes = st.downvotes + EXCLUDED.downvotes;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER vote_counters AFTER INSERT OR UPDATE OF value OR DELETE ON vote
      FOR EACH ROW EXECUTE FUNCTION vote_counters_apply()`);

    await q.query(`
      CREATE FUNCTION rating_counters_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        d_count integer := 0;
        d_sum integer := 0;
        sid uuid;
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          sid := OLD.service_id;
          d_count := d_count - 1;
          d_sum := d_sum - OLD.stars;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          sid := NEW.service_id;
          d_count := d_count + 1;
          d_sum := d_sum + NEW.stars;
        END IF;
        IF d_count <> 0 OR d_sum <> 0 THEN
          INSERT INTO service_stats AS st (service_id, rating_count, rating_sum) VALUES (sid, d_count, d_sum)
          ON CONFLICT (service_id) DO UPDATE
            SET rating_count = st.rating_count + EXCLUDED.rating_count, rating_sum = st.rating_sum + EXCLUDED.rating_sum;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER rating_counters AFTER INSERT OR UPDATE OF stars OR DELETE ON rating
      FOR EACH ROW EXECUTE FUNCTION rating_counters_apply()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER rating_counters ON rating');
    await q.query('DROP FUNCTION rating_counters_apply()');
    await q.query('DROP TRIGGER vote_counters ON vote');
    await q.query('DROP FUNCTION vote_counters_apply()');
    await q.query('DROP FUNCTION wilson_lower_bound(integer, integer)');
    await q.query('DROP INDEX service_activity_daily_day_idx');
    await q.query('DROP INDEX service_tags_idx');
    await q.query('DROP INDEX service_search_vector_idx');
  }
}
