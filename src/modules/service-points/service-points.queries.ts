import type { EntityManager } from 'typeorm';
import { queryPrepared } from '../../db/sql';
import type { ServicePoint, Weekday } from '../../geo/service-points';

/** The SQL of the service points: the seeded points, their services, and the districts a request may name. */

const POINT_COLUMNS = `p.code, p.name, p.kind, p.district_code AS "districtCode", p.township_code AS "townshipCode",
  p.address, p.lat, p.long, p.hours, p.closed_on_holidays AS "closedOnHolidays", p.phone`;

/** A service point's row (GCJ-02 position; hours as JSON, or its text). */
export interface PointRow {
  code: string;
  name: string;
  kind: string;
  districtCode: string;
  townshipCode: string | null;
  address: string;
  lat: number;
  long: number;
  hours: Record<Weekday, string[]> | string;
  closedOnHolidays: boolean;
  phone: string;
}

/** The points that handle a service (when given) in a district (when given), by code. */
export async function servicePointsWhere(
  db: EntityManager,
  serviceId: string | null,
  districtCode: string | null,
): Promise<PointRow[]> {
  return queryPrepared<PointRow>(
    db,
    `SELECT ${POINT_COLUMNS} FROM service_point p
      WHERE ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM service_point_service l
                                          WHERE l.point_code = p.code AND l.service_id = $1::uuid))
        AND ($2::text IS NULL OR p.district_code = $2::text)
      ORDER BY p.code`,
    [serviceId, districtCode],
  );
}

/** The points of each of the given services (ids that are UUIDs), by code. */
export async function pointsOfServices(
  db: EntityManager,
  serviceIds: readonly string[],
): Promise<(PointRow & { serviceId: string })[]> {
  return queryPrepared<PointRow & { serviceId: string }>(
    db,
    `SELECT l.service_id AS "serviceId", ${POINT_COLUMNS}
       FROM service_point_service l JOIN service_point p ON p.code = l.point_code
      WHERE l.service_id = ANY($1::uuid[]) ORDER BY p.code`,
    [serviceIds],
  );
}

/** The city's districts, for finding one a request's text names. */
export async function districtNames(db: EntityManager): Promise<{ code: string; name: string }[]> {
  return queryPrepared<{ code: string; name: string }>(db, 'SELECT code, name FROM district');
}

/** An entity manager, or a migration's query runner: what the seeding statements need. */
type Runner = Pick<EntityManager, 'query'>;

/** Inserts service points (their services are linked by `linkServicePoints`); points already there are kept. */
export async function insertServicePoints(db: Runner, points: ServicePoint[]): Promise<void> {
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
}

/** Links points to the services (by code) they handle that exist; links already there are kept. */
export async function linkServicePoints(db: Runner, links: { point: string; service: string }[]): Promise<void> {
  await db.query(
    `INSERT INTO service_point_service (point_code, service_id)
     SELECT l.point, s.id FROM jsonb_to_recordset($1::jsonb) AS l(point text, service text)
       JOIN service s ON s.code = l.service
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(links)],
  );
}
