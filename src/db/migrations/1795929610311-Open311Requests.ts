import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Requests filed through the Open311 GeoReport v2 facade (docs/open311.md): the demand
 * signal each one is stored as, plus what Open311 says about it that a signal has no place
 * for (the client that filed it, the location, a media URL). `requested_at` repeats the
 * signal's time so that the 90-day windows of GET requests.json read this table's index
 * only. No entity: SQL only.
 */
export class Open311Requests1795929610311 implements MigrationInterface {
  name = 'Open311Requests1795929610311';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE open311_request (
        signal_id bigint PRIMARY KEY REFERENCES signal (id) ON DELETE CASCADE,
        client varchar(64) NOT NULL,
        requested_at timestamptz NOT NULL,
        lat double precision,
        long double precision,
        address_string varchar(1000),
        address_id varchar(128),
        media_url varchar(2048),
        CONSTRAINT open311_request_lat_long CHECK ((lat IS NULL) = (long IS NULL)),
        CONSTRAINT open311_request_lat_range CHECK (lat BETWEEN -90 AND 90),
        CONSTRAINT open311_request_long_range CHECK (long BETWEEN -180 AND 180),
        CONSTRAINT open311_request_location CHECK (lat IS NOT NULL OR address_string IS NOT NULL OR address_id IS NOT NULL)
      )`);
    await q.query('CREATE INDEX open311_request_requested_idx ON open311_request (requested_at, signal_id)');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE open311_request');
  }
}
