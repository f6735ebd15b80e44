import type { EntityManager } from 'typeorm';
import { Role } from '../../core/auth';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, ForbiddenError } from '../../core/errors';
import { recordAudit } from '../audit/audit.service';
import { notificationsPolicy } from './notifications.policy';
import {
  insertNotifications,
  markRead,
  recipientNotifications,
  type NewNotification,
  type Recipient,
} from './notifications.queries';

export type { NewNotification };

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
  return insertNotifications(db, notices);
}

/** CITIZEN: their own; STAFF: their department's. */
function recipient(ctx: Context, roles: readonly Role[]): Recipient {
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

/** Newest first. */
export async function listNotifications(ctx: Context, args: { unreadOnly: boolean; offset: number; limit: number }) {
  const to = recipient(ctx, notificationsPolicy.notifications);
  const rows = await recipientNotifications(ctx.db, to, args);
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
    const count = await markRead(tx.db, to, ids ?? null);
    await recordAudit(tx, {
      action: 'notifications.read',
      targetType: to.column === 'citizen_id' ? 'citizen' : 'department',
      targetId: to.id,
      details: { count },
    });
    return count;
  });
}
