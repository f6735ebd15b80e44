import type { EntityManager, QueryRunner } from 'typeorm';
import { cityServicePoints } from '../../geo/service-points';

type Runner = Pick<EntityManager | QueryRunner, 'query'>;

/**
 * Inserts the seeded service points (seeds/service-points/points.json) and links each to the
 * services it handles that exist. Idempotent: points and links already there are kept.
 */
export async function loadServicePoints(db: Runner): Promise<void> {
  const points = cityServicePoints();
  await db.query(
    `INSERT INTO service_point (code, name, kind, district_code, township_code, address, lat, long, hours,
                                closed_on_holidays, phone, departments)
     SELECT p.code, p.name, p.kind, p."districtCode", p."townshipCode", p.address,
            (p.location->>'lat')::float8, (p.location->>'long')::float8, p.hours, p."closedOnHolidays", p.phone,
            ARRAY(SELECT jsonb_array_elements_text(p.departments))
       FROM jsonb_to_recordset($1::jsonb) AS p(code text, name text, kind text, "districtCode" text,
            "townshipCode" text, address text, location jsonb, hours jsonb, "closedOnHolidays" boolean,
            phone text, departments jsonb)
     ON CONFLICT (code) DO NOTHING`,
    [JSON.stringify(points)],
  );
  const links = points.flatMap((p) => p.services.map((service) => ({ point: p.code, service })));
  await db.query(
    `INSERT INTO service_point_service (point_code, service_id)
     SELECT l.point, s.id FROM jsonb_to_recordset($1::jsonb) AS l(point text, service text)
       JOIN service s ON s.code = l.service
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(links)],
  );
}
