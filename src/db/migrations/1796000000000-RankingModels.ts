import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fitted ranking models (src/modules/matching/ranking-models.ts): the blend's parameters fitted
 * on a time split of the city's signals, with the windows they were fitted and evaluated on and
 * their evaluation against the defaults and the simple baselines. At most one is active (the
 * partial unique index); none active means the defaults rank.
 */
export class RankingModels1796000000000 implements MigrationInterface {
  name = 'RankingModels1796000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ranking_model (
        id serial PRIMARY KEY,
        fitted_at timestamptz NOT NULL DEFAULT now(),
        weights jsonb NOT NULL CHECK (jsonb_typeof(weights) = 'object'),
        method text NOT NULL,
        history_from timestamptz NOT NULL,
        fit_from timestamptz NOT NULL,
        evaluation_from timestamptz NOT NULL,
        evaluation_to timestamptz NOT NULL,
        fit_citizens int NOT NULL CHECK (fit_citizens >= 0),
        evaluation jsonb NOT NULL CHECK (jsonb_typeof(evaluation) = 'object'),
        active boolean NOT NULL DEFAULT false,
        activated_at timestamptz,
        CHECK (history_from < fit_from AND fit_from < evaluation_from AND evaluation_from < evaluation_to)
      )`);
    await q.query('CREATE UNIQUE INDEX ranking_model_one_active ON ranking_model (active) WHERE active');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ranking_model');
  }
}
