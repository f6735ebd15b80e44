import type { MigrationInterface, QueryRunner } from 'typeorm';
import { readGuideSeed } from '../../../seeds/catalogue';

/**
 * The service guide (办事指南) of each service, one JSON document per service in the shape of
 * seeds/catalogue/guides.json. Databases whose catalogue is already loaded get the seeded
 * guides of their services here; a fresh database gets them when the catalogue is loaded.
 */
export class ServiceGuides1795988000000 implements MigrationInterface {
  name = 'ServiceGuides1795988000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE service_guide (
        service_id uuid PRIMARY KEY REFERENCES service (id) ON DELETE CASCADE,
        guide jsonb NOT NULL CHECK (jsonb_typeof(guide) = 'object')
      )`);
    const guides = readGuideSeed();
    await q.query(
      `INSERT INTO service_guide (service_id, guide)
       SELECT s.id, g.guide FROM jsonb_each($1::jsonb) AS g(code, guide) JOIN service s ON s.code = g.code
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(guides)],
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE service_guide');
  }
}
