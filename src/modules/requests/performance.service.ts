import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import { requireRole, type Context } from '../../core/context';
import { BadInputError } from '../../core/errors';
import { requestsPolicy } from './requests.policy';

export interface DepartmentFigures {
  departmentId: string;
  received: number;
  acknowledged: number;
  acknowledgedOnTime: number;
  resolved: number;
  resolvedOnTime: number;
  overdue: number;
  medianAcknowledgeHours: number | null;
  medianResolveHours: number | null;
  ratings: number;
  badRatings: number;
  satisfactionRate: number | null;
  /** Bad ratings of the window whose rectification is unanswered past its deadline now. */
  rectificationsOverdue: number;
}

const MAX_DAYS = 366;

/**
 * Per department, for the cases routed to it that were opened in [from, to) and the
 * ratings given in [from, to): 接诉即办's response, resolution and satisfaction figures.
 * Overdue counts the window's cases that are overdue now, rectificationsOverdue the window's
 * bad ratings whose answer is late now. Most received first.
 */
export async function departmentPerformance(
  ctx: Context,
  from: Date,
  to: Date,
  now = new Date(),
): Promise<DepartmentFigures[]> {
  requireRole(ctx, ...requestsPolicy.departmentPerformance);
  if (!(from < to)) throw BadInputError.field('to', 'minDate', 'to must be after from');
  if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) {
    throw BadInputError.field('to', 'maxRange', `at most ${MAX_DAYS} days between from and to`);
  }
  return departmentFigures(ctx.db, from, to, now);
}

/** departmentPerformance's figures, unchecked (the periodic report reads them for its period). */
export async function departmentFigures(
  db: EntityManager,
  from: Date,
  to: Date,
  now: Date,
): Promise<DepartmentFigures[]> {
  return queryRows<DepartmentFigures>(
    db,
    `WITH cases AS (
       SELECT department_id,
              count(*)::int AS received,
              count(acknowledged_at)::int AS acknowledged,
              count(*) FILTER (WHERE acknowledged_at <= acknowledge_due)::int AS "acknowledgedOnTime",
              count(resolved_at)::int AS resolved,
              count(*) FILTER (WHERE resolved_at <= resolve_due)::int AS "resolvedOnTime",
              count(*) FILTER (WHERE (status = 'OPEN' AND acknowledge_due < $3)
                                  OR (status IN ('OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS') AND resolve_due < $3))::int AS overdue,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - opened_at) / 3600)
                FILTER (WHERE acknowledged_at IS NOT NULL) AS "medianAcknowledgeHours",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at) / 3600)
                FILTER (WHERE resolved_at IS NOT NULL) AS "medianResolveHours"
         FROM request_case
        WHERE department_id IS NOT NULL AND acknowledge_due IS NOT NULL AND opened_at >= $1 AND opened_at < $2
        GROUP BY department_id
     ), ratings AS (
       SELECT department_id, count(*)::int AS ratings,
              count(*) FILTER (WHERE level IN ('DISSATISFIED', 'VERY_DISSATISFIED'))::int AS "badRatings",
              count(*) FILTER (WHERE rectified_at IS NULL AND rectification_due < $3)::int AS "rectificationsOverdue"
         FROM satisfaction_rating
        WHERE department_id IS NOT NULL AND at >= $1 AND at < $2
        GROUP BY department_id
     )
     SELECT COALESCE(c.department_id, r.department_id) AS "departmentId",
            COALESCE(c.received, 0) AS received, COALESCE(c.acknowledged, 0) AS acknowledged,
            COALESCE(c."acknowledgedOnTime", 0) AS "acknowledgedOnTime", COALESCE(c.resolved, 0) AS resolved,
            COALESCE(c."resolvedOnTime", 0) AS "resolvedOnTime", COALESCE(c.overdue, 0) AS overdue,
            c."medianAcknowledgeHours"::float8 AS "medianAcknowledgeHours", c."medianResolveHours"::float8 AS "medianResolveHours",
            COALESCE(r.ratings, 0) AS ratings, COALESCE(r."badRatings", 0) AS "badRatings",
            CASE WHEN r.ratings > 0 THEN (r.ratings - r."badRatings")::float8 / r.ratings END AS "satisfactionRate",
            COALESCE(r."rectificationsOverdue", 0) AS "rectificationsOverdue"
       FROM cases c FULL JOIN ratings r ON r.department_id = c.department_id
      ORDER BY received DESC, "departmentId"`,
    [from.toISOString(), to.toISOString(), now.toISOString()],
  );
}
