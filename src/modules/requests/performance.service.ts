import type { EntityManager } from 'typeorm';
import { requireRole, type Context } from '../../core/context';
import { BadInputError } from '../../core/errors';
import { requestsPolicy } from './requests.policy';
import { departmentFigureRows, type DepartmentFigures } from './requests.queries';

export type { DepartmentFigures };

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
  return departmentFigureRows(db, from, to, now);
}
