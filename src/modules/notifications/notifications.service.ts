import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import { Role } from '../../core/auth';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, ForbiddenError } from '../../core/errors';
import { recordAudit } from '../audit/audit.service';
import type { Notification } from './notification.entity';
import { notificationsPolicy } from './notifications.policy';

export interface NewNotification {
  citizenId?: string | null;
  departmentId?: string | null;
  kind: string;
  requestId?: string | null;
  /** The service it is about (a new service meeting a need). */
  serviceId?: string | null;
  /** The satisfaction rating it is about (a rectification to answer). */
  ratingId?: string | null;
  message: string;
}

/** The kind of "a new service meets a need you asked about": at most one per request (a unique index). */
export const NEED_MET_KIND = 'request.need_met';

/**
 * Writes notifications and their outbox rows through the caller's transaction manager (the
 * cause's transaction): nothing is delivered for a change that rolled back, and nothing
 * committed is lost (the dispatcher sends what the outbox holds). A notice that the unique
 * index refuses (a second NEED_MET_KIND for a request, a second deadline notice) is skipped with its outbox row.
 * The outbox row names the department it concerns (the recipient department, else the
 * department holding the request), which selects the webhooks it goes to. Returns how many
 * were written.
 */
export async function notify(db: EntityManager, notices: NewNotification[]): Promise<number> {
  if (notices.length === 0) return 0;
  const rows = await queryRows<{ written: number }>(
    db,
    `WITH written AS (
       INSERT INTO notification (citizen_id, department_id, kind, request_id, service_id, message, rating_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::bigint[], $5::uuid[], $6::text[], $7::bigint[])
       ON CONFLICT DO NOTHING
       RETURNING id, citizen_id, department_id, kind, request_id, message),
     queued AS (
       INSERT INTO notification_outbox (event_id, notification_id, citizen_id, department_id, concerns_department_id,
                                        kind, request_id, message)
       SELECT gen_random_uuid(), w.id, w.citizen_id, w.department_id,
              COALESCE(w.department_id, (SELECT rc.department_id FROM request_case rc WHERE rc.signal_id = w.request_id)),
              w.kind, w.request_id, w.message
         FROM written w
       RETURNING 1)
     SELECT count(*)::int AS written FROM queued`,
    [
      notices.map((n) => n.citizenId ?? null),
      notices.map((n) => n.departmentId ?? null),
      notices.map((n) => n.kind),
      notices.map((n) => n.requestId ?? null),
      notices.map((n) => n.serviceId ?? null),
      notices.map((n) => n.message),
      notices.map((n) => n.ratingId ?? null),
    ],
  );
  return rows[0]?.written ?? 0;
}

/** CITIZEN: their own; STAFF: their department's. */
function recipient(ctx: Context, roles: readonly Role[]): { column: 'citizen_id' | 'department_id'; id: string } {
  const user = requireRole(ctx, ...roles);
  if (user.role === Role.CITIZEN) return { column: 'citizen_id', id: user.id };
  if (!user.departmentId) throw new ForbiddenError('A STAFF token needs a department (dept claim)');
  return { column: 'department_id', id: user.departmentId };
}

/** The live channel of the caller's notifications (live-notifications.ts). */
export function recipientChannelOf(ctx: Context): string {
  const to = recipient(ctx, notificationsPolicy.notificationAdded);
  return to.column === 'citizen_id' ? `citizen:${to.id}` : `department:${to.id}`;
}

const COLUMNS = `id::text AS id, kind, request_id::text AS "requestId", service_id AS "serviceId",
  rating_id::text AS "ratingId", message, created_at AS "createdAt", read_at AS "readAt"`;

/** Newest first. */
export async function listNotifications(ctx: Context, args: { unreadOnly: boolean; offset: number; limit: number }) {
  const to = recipient(ctx, notificationsPolicy.notifications);
  const rows = await queryRows<Notification & { totalCount: number }>(
    ctx.db,
    `SELECT ${COLUMNS}, count(*) OVER ()::int AS "totalCount" FROM notification
      WHERE ${to.column} = $1 ${args.unreadOnly ? 'AND read_at IS NULL' : ''}
      ORDER BY id DESC LIMIT ${args.limit + 1} OFFSET ${args.offset}`,
    [to.id],
  );
  return {
    nodes: rows.slice(0, args.limit),
    hasNextPage: rows.length > args.limit,
    totalCount: rows[0]?.totalCount ?? 0,
  };
}

/** Marks the caller's notifications read (the given ones, or all); returns how many changed. */
export async function markNotificationsRead(ctx: Context, ids: string[] | null | undefined): Promise<number> {
  const to = recipient(ctx, notificationsPolicy.markNotificationsRead);
  if (ids && ids.some((id) => !/^\d{1,18}$/.test(id)))
    throw BadInputError.field('ids', 'isId', 'ids must be notification ids');
  return inTransaction(ctx, async (tx) => {
    const [{ count }] = await queryRows<{ count: number }>(
      tx.db,
      `WITH changed AS (UPDATE notification SET read_at = now()
         WHERE ${to.column} = $1 AND read_at IS NULL ${ids ? 'AND id = ANY ($2::bigint[])' : ''} RETURNING 1)
       SELECT count(*)::int AS count FROM changed`,
      ids ? [to.id, ids] : [to.id],
    );
    await recordAudit(tx, {
      action: 'notifications.read',
      targetType: to.column === 'citizen_id' ? 'citizen' : 'department',
      targetId: to.id,
      details: { count },
    });
    return count;
  });
}
