import { queryRows } from '../../db/sql';
import { Role } from '../../core/auth';
import { requireRole, requireUser, type Context } from '../../core/context';
import { BadInputError } from '../../core/errors';
import { checkPageSize } from '../../core/pagination';
import { AccessEvent } from './access-event.entity';
import type { AccessEventFilter } from './access.inputs';

/** What of a citizen's personal data was read. */
export enum PersonalDataRead {
  /** `citizen(id)`: the profile (birth year, tags, district, interests …). */
  PROFILE = 'citizen.profile',
  /** `recommendedServices(citizenId)`: the ranking built from the citizen's own signals. */
  RANKING = 'citizen.ranking',
  /** `auditEvents` filtered to one citizen's events (as actor or as target). */
  AUDIT_TRAIL = 'citizen.audit_trail',
}

/** Whether a read of `citizenId`'s data by the context's user is someone else's read (and is logged). */
export function readsOthersData(ctx: Context, citizenId: string): boolean {
  return requireUser(ctx).id !== citizenId.toLowerCase();
}

/**
 * Logs a read of a citizen's personal data by someone else, in the request that reads it and
 * before its answer is sent: when the event cannot be written, the read fails. A citizen's
 * reads of their own data log nothing.
 */
export async function recordAccess(
  ctx: Context,
  read: { citizenId: string; what: PersonalDataRead; details?: Record<string, unknown> | null },
): Promise<void> {
  const user = requireUser(ctx);
  if (!readsOthersData(ctx, read.citizenId)) return;
  await ctx.db.query(
    `INSERT INTO access_event (request_id, actor_id, actor_role, actor_department_id, citizen_id, what, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      ctx.requestId,
      user.id,
      user.role,
      user.departmentId,
      read.citizenId.toLowerCase(),
      read.what,
      read.details == null ? null : JSON.stringify(read.details),
    ],
  );
}

const ACCESS_COLUMNS = `id::text AS id, at, request_id AS "requestId", actor_id AS "actorId", actor_role AS "actorRole",
  actor_department_id AS "actorDepartmentId", citizen_id AS "citizenId", what, details`;

/**
 * Access events for AUDITOR, newest first (by id: the order they were written), a page after
 * the event `afterId` when given (keyset: events written meanwhile never shift a page).
 */
export async function listAccessEvents(
  ctx: Context,
  args: { filter?: AccessEventFilter | null; first: number; afterId: string | null },
): Promise<{ nodes: AccessEvent[]; hasNextPage: boolean; totalCount: number }> {
  requireRole(ctx, Role.AUDITOR);
  checkPageSize(args.first);
  const filter = args.filter ?? {};
  if (filter.from && filter.to && filter.from > filter.to) {
    throw BadInputError.field('filter.to', 'minDate', 'filter.to must not be before filter.from');
  }
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (value: unknown) => `$${params.push(value)}`;
  if (filter.citizenId) where.push(`citizen_id = ${add(filter.citizenId.toLowerCase())}`);
  if (filter.actorId) where.push(`actor_id = ${add(filter.actorId.toLowerCase())}`);
  if (filter.actorRole) where.push(`actor_role = ${add(filter.actorRole)}`);
  if (filter.what) where.push(`what = ${add(filter.what)}`);
  if (filter.from) where.push(`at >= ${add(filter.from.toISOString())}`);
  if (filter.to) where.push(`at < ${add(filter.to.toISOString())}`);
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const countParams = [...params];
  const pageWhere =
    args.afterId === null ? whereSql : `${whereSql ? `${whereSql} AND` : 'WHERE'} id < ${add(args.afterId)}`;
  const rows = await queryRows<AccessEvent>(
    ctx.db,
    `SELECT ${ACCESS_COLUMNS} FROM access_event ${pageWhere} ORDER BY id DESC LIMIT ${add(args.first + 1)}`,
    params,
  );
  const [{ count }] = await queryRows<{ count: number }>(
    ctx.db,
    `SELECT count(*)::int AS count FROM access_event ${whereSql}`,
    countParams,
  );
  return {
    nodes: rows.slice(0, args.first).map((row) => Object.assign(new AccessEvent(), row)),
    hasNextPage: rows.length > args.first,
    totalCount: count,
  };
}
