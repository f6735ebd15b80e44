import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import type { FitEvaluation } from './ranking-fit';

/** The SQL of fitted ranking models (ranking_model: versioned rows, at most one active). */

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

/** The newest `limit` models, newest first. */
export async function newestModels(db: EntityManager, limit: number): Promise<RankingModelRow[]> {
  return queryRows<RankingModelRow>(db, `SELECT ${COLUMNS} FROM ranking_model ORDER BY id DESC LIMIT ${limit}`);
}

/** When the newest model was fitted (null before any fit stored one). */
export async function newestFitTime(db: EntityManager): Promise<Date | null> {
  const [row] = await queryRows<{ fittedAt: Date | null }>(
    db,
    'SELECT max(fitted_at) AS "fittedAt" FROM ranking_model',
  );
  return row?.fittedAt ?? null;
}

export async function modelById(db: EntityManager, id: number): Promise<RankingModelRow | undefined> {
  const [row] = await queryRows<RankingModelRow>(db, `SELECT ${COLUMNS} FROM ranking_model WHERE id = $1`, [id]);
  return row;
}

/**
 * Serialises changes of the active model until the end of the transaction: the partial unique
 * index would refuse the second of two activations at once.
 */
export async function lockModels(db: EntityManager): Promise<void> {
  await db.query('LOCK TABLE ranking_model IN SHARE ROW EXCLUSIVE MODE');
}

/** The active model's id, if one is. */
export async function activeModelId(db: EntityManager): Promise<number | undefined> {
  const [previous] = await queryRows<{ id: number }>(db, 'SELECT id FROM ranking_model WHERE active');
  return previous?.id;
}

export async function modelExists(db: EntityManager, id: number): Promise<boolean> {
  const [exists] = await queryRows<{ id: number }>(db, 'SELECT id FROM ranking_model WHERE id = $1', [id]);
  return exists !== undefined;
}

/** Deactivates the active model, if one is. */
export async function deactivateModels(db: EntityManager): Promise<void> {
  await db.query('UPDATE ranking_model SET active = false WHERE active');
}

/** Activates model `id` (activated now); the active one must have been deactivated first. */
export async function activateModel(db: EntityManager, id: number): Promise<void> {
  await db.query('UPDATE ranking_model SET active = true, activated_at = now() WHERE id = $1', [id]);
}

export interface NewModel {
  /** JSON text of the weights. */
  weightsJson: string;
  method: string;
  historyFrom: Date;
  fitFrom: Date;
  evaluationFrom: Date;
  evaluationTo: Date;
  fitCitizens: number;
  /** JSON text of the evaluation. */
  evaluationJson: string;
  /** Stored active (activated now): the active one must have been deactivated first. */
  active: boolean;
}

/** Stores a fitted model; returns its id. */
export async function insertModel(db: EntityManager, model: NewModel): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO ranking_model (weights, method, history_from, fit_from, evaluation_from, evaluation_to, fit_citizens, evaluation, active, activated_at)
       VALUES ($1::jsonb, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, CASE WHEN $9 THEN now() END) RETURNING id`,
    [
      model.weightsJson,
      model.method,
      model.historyFrom,
      model.fitFrom,
      model.evaluationFrom,
      model.evaluationTo,
      model.fitCitizens,
      model.evaluationJson,
      model.active,
    ],
  );
  return row.id;
}

/** The audit event of a model the system (no actor) fitted: `action` on ranking_model `modelId`. */
export async function insertSystemModelAuditEvent(
  db: EntityManager,
  action: string,
  modelId: number,
  detailsJson: string,
): Promise<void> {
  await db.query(
    `INSERT INTO audit_event (actor_id, actor_role, action, target_type, target_id, details) VALUES (NULL, NULL, $1, 'ranking_model', $2, $3::jsonb)`,
    [action, String(modelId), detailsJson],
  );
}

/** The active model's id and weights, if one is. */
export async function activeModelWeights(
  db: EntityManager,
): Promise<{ id: number; weights: Record<string, number> } | undefined> {
  const [row] = await queryRows<{ id: number; weights: Record<string, number> }>(
    db,
    'SELECT id, weights FROM ranking_model WHERE active',
  );
  return row;
}
