import type { EntityManager } from 'typeorm';
import { queryRows, SqlConditions } from '../../db/sql';
import type { SatisfactionLevel } from './satisfaction';
import type { SatisfactionRating } from './satisfaction-rating.entity';

/** The SQL of satisfaction ratings (好差评) and their rectifications. */

const RATING_COLUMNS = `id::text AS id, case_id::text AS "requestId", use_signal_id::text AS "useSignalId", level, comment, at,
  service_id AS "serviceId", department_id AS "departmentId",
  rectification_due AS "rectificationDue", rectification_answer AS "rectificationAnswer", rectified_at AS "rectifiedAt"`;

/** What rating a case needs: whose it is, its status, the department and the service to credit. */
export interface CaseToRate {
  citizenId: string;
  status: string;
  departmentId: string | null;
  serviceId: string | null;
}

/** A case as a rating reads it (its service, else the first one offered); none: no row. */
export async function caseToRate(db: EntityManager, caseId: string): Promise<CaseToRate | undefined> {
  const [row] = await queryRows<CaseToRate>(
    db,
    `SELECT citizen_id AS "citizenId", status, department_id AS "departmentId",
              COALESCE(service_id, offered_service_ids[1]) AS "serviceId" FROM request_case WHERE signal_id = $1`,
    [caseId],
  );
  return row;
}

/** What rating a signal needs: whose it is, its kind, its service and the service's department. */
export interface SignalToRate {
  citizenId: string;
  kind: string;
  departmentId: string;
  serviceId: string;
}

/** A signal about a service as a rating reads it; none: no such signal, or one about no service. */
export async function signalToRate(db: EntityManager, signalId: string): Promise<SignalToRate | undefined> {
  const [row] = await queryRows<SignalToRate>(
    db,
    `SELECT s.citizen_id AS "citizenId", s.kind::text AS kind, sv.department_id AS "departmentId", s.service_id AS "serviceId"
         FROM signal s JOIN service sv ON sv.id = s.service_id WHERE s.id = $1`,
    [signalId],
  );
  return row;
}

/** A citizen's rating of a case or of a USE signal. */
export interface NewRating {
  citizenId: string;
  requestId: string | null;
  useSignalId: string | null;
  serviceId: string | null;
  departmentId: string | null;
  level: SatisfactionLevel;
  comment: string | null;
  rectificationDue: Date | null;
}

/** Inserts a rating; none when the item was already rated (a unique index). */
export async function insertRating(db: EntityManager, rating: NewRating): Promise<SatisfactionRating | undefined> {
  const [row] = await queryRows<SatisfactionRating>(
    db,
    `INSERT INTO satisfaction_rating (citizen_id, case_id, use_signal_id, service_id, department_id, level, comment, rectification_due)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING ${RATING_COLUMNS}`,
    [
      rating.citizenId,
      rating.requestId,
      rating.useSignalId,
      rating.serviceId,
      rating.departmentId,
      rating.level,
      rating.comment,
      rating.rectificationDue,
    ],
  );
  return row;
}

/** What answering a rating's rectification needs. */
export interface RectificationToAnswer {
  departmentId: string | null;
  citizenId: string;
  requestId: string | null;
  serviceId: string | null;
  due: Date | null;
  rectifiedAt: Date | null;
}

/** A rating's rectification, its row locked for the rest of the transaction; none: no row. */
export async function lockRectification(
  db: EntityManager,
  ratingId: string,
): Promise<RectificationToAnswer | undefined> {
  const [row] = await queryRows<RectificationToAnswer>(
    db,
    `SELECT department_id AS "departmentId", citizen_id AS "citizenId", case_id::text AS "requestId",
                service_id AS "serviceId", rectification_due AS due, rectified_at AS "rectifiedAt"
         FROM satisfaction_rating WHERE id = $1 FOR UPDATE`,
    [ratingId],
  );
  return row;
}

/** Records a rectification's answer, now. */
export async function answerRectificationRow(db: EntityManager, ratingId: string, answer: string): Promise<void> {
  await db.query('UPDATE satisfaction_rating SET rectification_answer = $2, rectified_at = now() WHERE id = $1', [
    ratingId,
    answer,
  ]);
}

/** A rating; none: no row. */
export async function ratingById(db: EntityManager, ratingId: string): Promise<SatisfactionRating | undefined> {
  const [rating] = await queryRows<SatisfactionRating>(
    db,
    `SELECT ${RATING_COLUMNS} FROM satisfaction_rating WHERE id = $1`,
    [ratingId],
  );
  return rating;
}

/** Which ratings a department's listing reads. */
export interface RatingCriteria {
  /** The ratings the department keeps, and those of the services it leads (null: every one). */
  departmentId: string | null;
  serviceId: string | null;
  badOnly: boolean;
  unanswered: boolean;
  /** Rectification unanswered past its deadline at `now`, or not (null: either). */
  rectificationOverdue: boolean | null;
  now: Date;
}

function ratingsWhere(criteria: RatingCriteria): SqlConditions {
  const where = new SqlConditions();
  if (criteria.departmentId) {
    // Its handling (the department a rating keeps), or its services' outcomes whoever handled them.
    const d = where.param(criteria.departmentId);
    where.add(
      `(department_id = ${d}::uuid OR service_id IN (SELECT id FROM service WHERE department_id = ${d}::uuid))`,
    );
  }
  where.equals('service_id', criteria.serviceId, '::uuid');
  if (criteria.badOnly) where.add('rectification_due IS NOT NULL');
  if (criteria.unanswered) where.add('rectification_due IS NOT NULL AND rectified_at IS NULL');
  if (criteria.rectificationOverdue != null) {
    const overdue = `(rectification_due IS NOT NULL AND rectified_at IS NULL AND rectification_due < ${where.param(criteria.now.toISOString())}::timestamptz)`;
    where.add(criteria.rectificationOverdue ? overdue : `NOT ${overdue}`);
  }
  return where;
}

/** A page of the ratings, newest first: `limit` + 1 rows at most (the last tells of a next page), each with the total. */
export async function ratingsPage(
  db: EntityManager,
  criteria: RatingCriteria,
  offset: number,
  limit: number,
): Promise<(SatisfactionRating & { totalCount: number })[]> {
  const where = ratingsWhere(criteria);
  return queryRows<SatisfactionRating & { totalCount: number }>(
    db,
    `SELECT ${RATING_COLUMNS}, count(*) OVER ()::int AS "totalCount" FROM satisfaction_rating ${where.clause}
      ORDER BY at DESC, satisfaction_rating.id DESC LIMIT ${limit + 1} OFFSET ${offset}`,
    where.params,
  );
}

/** How many ratings are selected (for a page past the end, which has no row to tell). */
export async function countRatings(db: EntityManager, criteria: RatingCriteria): Promise<number> {
  const where = ratingsWhere(criteria);
  const [{ totalCount }] = await queryRows<{ totalCount: number }>(
    db,
    `SELECT count(*)::int AS "totalCount" FROM satisfaction_rating ${where.clause}`,
    where.params,
  );
  return totalCount;
}
