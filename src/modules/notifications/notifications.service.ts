import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import { Role } from '../../core/auth';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, ForbiddenError } from '../../core/errors';
import { checkPageSize } from '../../core/pagination';
import { recordAudit } from '../audit/audit.service';
import type { Notification } from './notification.entity';

export interface NewNotification {
  citizenId?: string | null;
  departmentId?: string | null;
  kind: string;
  requestId?: string | null;
  message: string;
}

/** Writes notifications through the caller's transaction manager (the cause's transaction). */
export async function notify(db: EntityManager, notices: NewNotification[]): Promise<void> {
  if (notices.length === 0) return;
  await db.query(
    `INSERT INTO notification (citizen_id, department_id, kind, request_id, message)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::bigint[], $5::text[])`,
    [
      notices.map((n) => n.citizenId ?? null),
      notices.map((n) => n.departmentId ?? null),
      notices.map((n) => n.kind),
      notices.map((n) => n.requestId ?? null),
      notices.map((n) => n.message),
    ],
  );
}

/** CITIZEN: their own; STAFF: their department's. */
function recipient(ctx: Context): { column: 'citizen_id' | 'department_id'; id: string } {
  const user = requireRole(ctx, Role.CITIZEN, Role.STAFF);
  if (user.role === Role.CITIZEN) return { column: 'citizen_id', id: user.id };
  if (!user.departmentId) throw new ForbiddenError('A STAFF token needs a department (dept claim)');
  return { column: 'department_id', id: user.departmentId };
}

const COLUMNS = `id::text AS id, kind, request_id::text AS "requestId", message, created_at AS "createdAt", read_at AS "readAt"`;

/** Newest first. */
export async function listNotifications(ctx: Context, args: { unreadOnly: boolean; first: number; offset: number }) {
  checkPageSize(args.first);
  const to = recipient(ctx);
  const rows = await queryRows<Notification & { totalCount: number }>(
    ctx.db,
    `SELECT ${COLUMNS}, count(*) OVER ()::int AS "totalCount" FROM notification
      WHERE ${to.column} = $1 ${args.unreadOnly ? 'AND read_at IS NULL' : ''}
      ORDER BY id DESC LIMIT ${args.first + 1} OFFSET ${args.offset}`,
    [to.id],
  );
  return { nodes: rows.slice(0, args.first), hasNextPage: rows.length > args.first, totalCount: rows[0]?.totalCount ?? 0 };
}

/** Marks the caller's notifications read (the given ones, or all); returns how many changed. */
export async function markNotificationsRead(ctx: Context, ids: string[] | null | undefined): Promise<number> {
  const to = recipient(ctx);
  if (ids && ids.some((id) => !/^\d{1,18}$/.test(id))) throw BadInputError.field('ids', 'isId', 'ids must be notification ids');
  return inTransaction(ctx, async (tx) => {
    const [{ count }] = await queryRows<{ count: number }>(
      tx.db,
      `WITH changed AS (UPDATE notification SET read_at = now()
         WHERE ${to.column} = $1 AND read_at IS NULL ${ids ? 'AND id = ANY ($2::bigint[])' : ''} RETURNING 1)
       SELECT count(*)::int AS count FROM changed`,
      ids ? [to.id, ids] : [to.id],
    );
    await recordAudit(tx, { action: 'notifications.read', targetType: to.column === 'citizen_id' ? 'citizen' : 'department', targetId: to.id, details: { count } });
    return count;
  });
}
