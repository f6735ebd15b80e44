import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadServicePoints } from '../../modules/service-points/service-point.seed';

/**
 * The city's service windows and the services each handles (seeds/service-points/points.json).
 * Positions are GCJ-02 like the district boundaries; hours are 'HH:MM-HH:MM' spans per weekday
 * in city time. Seeded here (links only to services that exist) and again with the catalogue.
 */
export class ServicePoints1795988000001 implements MigrationInterface {
  name = 'ServicePoints1795988000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE service_point (
        code text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('CITY_CENTRE', 'DISTRICT_CENTRE', 'STREET_CENTRE', 'DEPARTMENT_HALL')),
        district_code varchar(6) NOT NULL REFERENCES district (code),
        township_code varchar(9) CHECK (township_code IS NULL OR left(township_code, 6) = district_code),
        address text NOT NULL,
        lat float8 NOT NULL CHECK (lat BETWEEN -90 AND 90),
        long float8 NOT NULL CHECK (long BETWEEN -180 AND 180),
        hours jsonb NOT NULL CHECK (jsonb_typeof(hours) = 'object'),
        closed_on_holidays boolean NOT NULL,
        phone text NOT NULL,
        departments text[] NOT NULL DEFAULT '{}'
      )`);
    await q.query(`
      CREATE TABLE service_point_service (
        point_code text NOT NULL REFERENCES service_point (code) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
        PRIMARY KEY (point_code, service_id)
      )`);
    await q.query('CREATE INDEX service_point_service_service ON service_point_service (service_id)');
    const [{ any }] = await q.query('SELECT EXISTS (SELECT 1 FROM district) AS any');
    if (any) await loadServicePoints(q);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE service_point_service');
    await q.query('DROP TABLE service_point');
  }
}
