import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What comes next, per fitted ranking model (src/modules/matching/transitions.ts): per category,
 * how the signals citizens send in the days after a signal in it spread over categories, learned
 * by the fit job from the city's signals up to the fit. Null for models fitted before it.
 */
export class RankingModelTransitions1796030000000 implements MigrationInterface {
  name = 'RankingModelTransitions1796030000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ranking_model ADD COLUMN transitions jsonb CHECK (transitions IS NULL OR jsonb_typeof(transitions) = 'object')`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE ranking_model DROP COLUMN transitions');
  }
}
