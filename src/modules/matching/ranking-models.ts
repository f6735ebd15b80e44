import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import { ExpiringMemo } from '../../lib/memos';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, NotFoundError } from '../../core/errors';
import { recordAudit } from '../audit/audit.service';
import type { FitEvaluation, FitOutcome } from './ranking-fit';
import { TUNING, tuningWith, type Tuning } from './ranking-model';
import { RankingModel } from './ranking-models.types';
import { matchingPolicy } from './matching.policy';

/**
 * Fitted ranking models, versioned rows of ranking_model: listed to planners, activated or
 * rolled back by an ADMIN (audited), written by the fit job; the active one's tuning is what
 * recommendedServices ranks with, read through a cache checked every ACTIVE_CHECK_MS.
 */

export const FIT_METHOD = 'coordinate ascent on NDCG@10';

export interface RankingModelRow {
  id: number;
  fittedAt: Date;
  weights: Record<string, number>;
  method: string;
  historyFrom: Date;
  fitFrom: Date;
  evaluationFrom: Date;
  evaluationTo: Date;
  fitCitizens: number;
  evaluation: FitEvaluation;
  active: boolean;
  activatedAt: Date | null;
}

const COLUMNS = `id, fitted_at AS "fittedAt", weights, method, history_from AS "historyFrom", fit_from AS "fitFrom",
  evaluation_from AS "evaluationFrom", evaluation_to AS "evaluationTo", fit_citizens AS "fitCitizens", evaluation, active,
  activated_at AS "activatedAt"`;

/** How many models a listing shows, newest first. */
export const LISTED_MODELS = 50;

export async function listRankingModels(ctx: Context): Promise<RankingModelRow[]> {
  requireRole(ctx, ...matchingPolicy.rankingModels);
  return queryRows<RankingModelRow>(
    ctx.db,
    `SELECT ${COLUMNS} FROM ranking_model ORDER BY id DESC LIMIT ${LISTED_MODELS}`,
  );
}

/**
 * ADMIN: makes model `id` the one that ranks, or none (`id` null: the defaults rank again);
 * the previous one is deactivated in the same transaction, and the change is audited.
 */
export async function activateRankingModel(ctx: Context, id: number | null): Promise<RankingModelRow | null> {
  requireRole(ctx, ...matchingPolicy.activateRankingModel);
  if (id !== null && (!Number.isInteger(id) || id <= 0))
    throw BadInputError.field('id', 'invalid', 'id must be a positive integer');
  const activated = await inTransaction(ctx, async (tx) => {
    // Serialises activations: the partial unique index would refuse the second of two at once.
    await tx.db.query('LOCK TABLE ranking_model IN SHARE ROW EXCLUSIVE MODE');
    const [previous] = await queryRows<{ id: number }>(tx.db, 'SELECT id FROM ranking_model WHERE active');
    if (id !== null) {
      const [exists] = await queryRows<{ id: number }>(tx.db, 'SELECT id FROM ranking_model WHERE id = $1', [id]);
      if (!exists) throw new NotFoundError('RankingModel', String(id), 'id');
    }
    await tx.db.query('UPDATE ranking_model SET active = false WHERE active');
    if (id !== null)
      await tx.db.query('UPDATE ranking_model SET active = true, activated_at = now() WHERE id = $1', [id]);
    await recordAudit(tx, {
      action: 'rankingModel.activate',
      targetType: 'ranking_model',
      targetId: id === null ? null : String(id),
      details: { previous: previous?.id ?? null, active: id },
    });
    if (id === null) return null;
    const [row] = await queryRows<RankingModelRow>(tx.db, `SELECT ${COLUMNS} FROM ranking_model WHERE id = $1`, [id]);
    return row;
  });
  forgetActiveModel(ctx.dataSource);
  return activated;
}

/**
 * Stores a fit's outcome as a new model; activates it when `activate` (the job's rule: it beat
 * the defaults on the evaluation week), deactivating the previous one, with an audit event of
 * the system (no actor).
 */
export async function saveFittedModel(
  dataSource: DataSource,
  outcome: Extract<FitOutcome, { kind: 'fitted' }>,
  activate: boolean,
): Promise<number> {
  const id = await dataSource.transaction(async (db: EntityManager) => {
    const { window } = outcome;
    if (activate) {
      await db.query('LOCK TABLE ranking_model IN SHARE ROW EXCLUSIVE MODE');
      await db.query('UPDATE ranking_model SET active = false WHERE active');
    }
    const [row] = await queryRows<{ id: number }>(
      db,
      `INSERT INTO ranking_model (weights, method, history_from, fit_from, evaluation_from, evaluation_to, fit_citizens, evaluation, active, activated_at)
       VALUES ($1::jsonb, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, CASE WHEN $9 THEN now() END) RETURNING id`,
      [
        JSON.stringify(outcome.parameters),
        FIT_METHOD,
        window.historyFrom,
        window.fitFrom,
        window.evaluationFrom,
        window.evaluationTo,
        outcome.fitQueries,
        JSON.stringify(outcome.evaluation),
        activate,
      ],
    );
    await db.query(
      `INSERT INTO audit_event (actor_id, actor_role, action, target_type, target_id, details) VALUES (NULL, NULL, $1, 'ranking_model', $2, $3::jsonb)`,
      [
        activate ? 'rankingModel.fitAndActivate' : 'rankingModel.fit',
        String(row.id),
        JSON.stringify({ fitted: outcome.evaluation.fitted, defaults: outcome.evaluation.defaults }),
      ],
    );
    return row.id;
  });
  forgetActiveModel(dataSource);
  return id;
}

/** The model that ranks: its id (null for the defaults) and tuning. */
export interface ActiveModel {
  id: number | null;
  tuning: Tuning;
}

/** How often a process checks which model is active: one cheap indexed read per interval, not per ranking. */
export const ACTIVE_CHECK_MS = 2000;
const DEFAULTS: ActiveModel = { id: null, tuning: TUNING };
/**
 * Per database, the active model: read again once it is ACTIVE_CHECK_MS old, the old one
 * serving while the read runs (so no ranking waits for the check), and kept when the read fails.
 */
const activeModels = new WeakMap<DataSource, ExpiringMemo<ActiveModel>>();

/** Drops this process's cached active model (after an activation here): the next ranking reads it. */
export function forgetActiveModel(dataSource: DataSource): void {
  activeModels.delete(dataSource);
}

/** The active model's tuning, cached per process and checked every ACTIVE_CHECK_MS. */
export function activeRankingModel(ctx: Pick<Context, 'dataSource'>): Promise<ActiveModel> {
  let memo = activeModels.get(ctx.dataSource);
  if (!memo) activeModels.set(ctx.dataSource, (memo = new ExpiringMemo<ActiveModel>(ACTIVE_CHECK_MS, 1)));
  return memo.get('active', async () => {
    const [row] = await queryRows<{ id: number; weights: Record<string, number> }>(
      ctx.dataSource.manager,
      'SELECT id, weights FROM ranking_model WHERE active',
    );
    return row ? { id: row.id, tuning: tuningWith(row.weights) } : DEFAULTS;
  });
}

/** A row as the GraphQL type RankingModel shows it. */
export function rankingModelView(row: RankingModelRow): RankingModel {
  const { weights, evaluation, ...rest } = row;
  return Object.assign(new RankingModel(), {
    ...rest,
    parameters: Object.entries(weights).map(([name, value]) => ({ name, value })),
    evaluation: {
      citizens: evaluation.queries,
      fitted: evaluation.fitted,
      defaults: evaluation.defaults,
      baselines: Object.entries(evaluation.baselines).map(([name, ndcg]) => ({ name, ndcg })),
    },
  });
}
