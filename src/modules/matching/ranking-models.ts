import type { DataSource, EntityManager } from 'typeorm';
import { ExpiringMemo } from '../../lib/memos';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, NotFoundError } from '../../core/errors';
import { recordAudit } from '../audit/audit.service';
import type { FitOutcome } from './ranking-fit';
import { TUNING, tuningWith, type Tuning } from './ranking-model';
import { RankingModel } from './ranking-models.types';
import { matchingPolicy } from './matching.policy';
import {
  activateModel,
  activeModelId,
  activeModelWeights,
  deactivateModels,
  insertModel,
  insertSystemModelAuditEvent,
  lockModels,
  modelById,
  modelExists,
  newestModels,
  type RankingModelRow,
} from './ranking-models.queries';

/**
 * Fitted ranking models, versioned rows of ranking_model: listed to planners, activated or
 * rolled back by an ADMIN (audited), written by the fit job; the active one's tuning is what
 * recommendedServices ranks with, read through a cache checked every ACTIVE_CHECK_MS.
 */

export const FIT_METHOD = 'coordinate ascent on NDCG@10';

export type { RankingModelRow };

/** How many models a listing shows, newest first. */
export const LISTED_MODELS = 50;

export async function listRankingModels(ctx: Context): Promise<RankingModelRow[]> {
  requireRole(ctx, ...matchingPolicy.rankingModels);
  return newestModels(ctx.db, LISTED_MODELS);
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
    await lockModels(tx.db);
    const previous = await activeModelId(tx.db);
    if (id !== null && !(await modelExists(tx.db, id))) throw new NotFoundError('RankingModel', String(id), 'id');
    if (id !== null) {
      const unusable = unusableBecause((await modelById(tx.db, id))!.weights);
      if (unusable)
        throw BadInputError.field('id', 'unusable', `Model ${id} cannot rank with this version: ${unusable}`);
    }
    await deactivateModels(tx.db);
    if (id !== null) await activateModel(tx.db, id);
    await recordAudit(tx, {
      action: 'rankingModel.activate',
      targetType: 'ranking_model',
      targetId: id === null ? null : String(id),
      details: { previous: previous ?? null, active: id },
    });
    if (id === null) return null;
    return (await modelById(tx.db, id))!;
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
      await lockModels(db);
      await deactivateModels(db);
    }
    const modelId = await insertModel(db, {
      weightsJson: JSON.stringify(outcome.parameters),
      method: FIT_METHOD,
      historyFrom: window.historyFrom,
      fitFrom: window.fitFrom,
      evaluationFrom: window.evaluationFrom,
      evaluationTo: window.evaluationTo,
      fitCitizens: outcome.fitQueries,
      evaluationJson: JSON.stringify(outcome.evaluation),
      active: activate,
    });
    await insertSystemModelAuditEvent(
      db,
      activate ? 'rankingModel.fitAndActivate' : 'rankingModel.fit',
      modelId,
      JSON.stringify({ fitted: outcome.evaluation.fitted, defaults: outcome.evaluation.defaults }),
    );
    return modelId;
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

/**
 * Why a stored model's parameters cannot rank with this version (a parameter it no longer
 * knows, or a value outside today's bounds: a model fitted by an older release), or null.
 */
function unusableBecause(weights: Readonly<Record<string, number>>): string | null {
  try {
    tuningWith(weights);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The active model's tuning, cached per process and checked every ACTIVE_CHECK_MS. An active
 * model this version cannot use ranks as the defaults (and says so: id null), with an error
 * logged at each check, instead of failing every ranking.
 */
export function activeRankingModel(ctx: Pick<Context, 'dataSource' | 'logger'>): Promise<ActiveModel> {
  let memo = activeModels.get(ctx.dataSource);
  if (!memo) activeModels.set(ctx.dataSource, (memo = new ExpiringMemo<ActiveModel>(ACTIVE_CHECK_MS, 1)));
  return memo.get('active', async () => {
    const row = await activeModelWeights(ctx.dataSource.manager);
    if (!row) return DEFAULTS;
    const unusable = unusableBecause(row.weights);
    if (unusable === null) return { id: row.id, tuning: tuningWith(row.weights) };
    ctx.logger.error(
      { rankingModelId: row.id, reason: unusable },
      'the active ranking model cannot rank: defaults rank',
    );
    return DEFAULTS;
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
