import { requireRole, requireUser, type Context } from '../../core/context';
import { BadInputError } from '../../core/errors';
import { checkPageSize } from '../../core/pagination';
import { AccessEvent } from './access-event.entity';
import type { AccessEventFilter } from './access.inputs';
import { auditPolicy } from './audit.policy';
import { accessEventPage, insertAccessEvent } from './audit.queries';

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
  await insertAccessEvent(ctx.db, {
    requestId: ctx.requestId,
    actorId: user.id,
    actorRole: user.role,
    actorDepartmentId: user.departmentId,
    citizenId: read.citizenId.toLowerCase(),
    what: read.what,
    detailsJson: read.details == null ? null : JSON.stringify(read.details),
  });
}

/**
 * Access events for AUDITOR, newest first (by id: the order they were written), a page after
 * the event `afterId` when given (keyset: events written meanwhile never shift a page).
 */
export async function listAccessEvents(
  ctx: Context,
  args: { filter?: AccessEventFilter | null; first: number; afterId: string | null },
): Promise<{ nodes: AccessEvent[]; hasNextPage: boolean; totalCount: number }> {
  requireRole(ctx, ...auditPolicy.accessEvents);
  checkPageSize(args.first);
  const filter = args.filter ?? {};
  if (filter.from && filter.to && filter.from > filter.to) {
    throw BadInputError.field('filter.to', 'minDate', 'filter.to must not be before filter.from');
  }
  const { rows, totalCount } = await accessEventPage(
    ctx.db,
    { ...filter, citizenId: filter.citizenId?.toLowerCase(), actorId: filter.actorId?.toLowerCase() },
    args.first,
    args.afterId,
  );
  return {
    nodes: rows.slice(0, args.first).map((row) => Object.assign(new AccessEvent(), row)),
    hasNextPage: rows.length > args.first,
    totalCount,
  };
}
