import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A neighbour pair keeps the co-users it would have had by chance (aggregates.ts,
 * expectedCoUse), so a ranking can tell a pair the city's co-use stands behind from one of a few
 * co-users of two rare services (aggregates.ts, coUseLiftLowerBound). 0 until the next refresh.
 */
export class NeighbourEvidence1796050000002 implements MigrationInterface {
  name = 'NeighbourEvidence1796050000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "service_neighbour" ADD "expected_co_citizens" double precision NOT NULL DEFAULT 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_neighbour" DROP COLUMN "expected_co_citizens"`);
  }
}
