import { isUuid } from '../../db/sql';
import { redactPersonalData } from '../../text/redact';
import { Role } from '../../core/auth';
import { requireRole, type Context } from '../../core/context';
import { BadInputError } from '../../core/errors';
import { PersonalDataRead, recordAccess } from './access.service';
import { AuditEvent } from './audit-event.entity';
import type { AuditFilter } from './audit.inputs';
import { auditPolicy } from './audit.policy';
import { auditEventPage, insertAuditEvent } from './audit.queries';

/** One state change, as the service that made it describes it. */
export interface AuditEventInput {
  /** `<target>.<verb>`, e.g. proposal.approve, service.retire, vote.cast. */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** What changed, stored as jsonb. */
  details?: Record<string, unknown> | null;
}

/**
 * Writes an audit event in the caller's transaction, so that it commits with the change it
 * describes or not at all. The actor is the context's user. Refuses to run outside a
 * transaction: an event written on its own could outlive a change that rolled back.
 */
export async function recordAudit(tx: Context, event: AuditEventInput): Promise<void> {
  if (!tx.db.queryRunner?.isTransactionActive) {
    throw new Error(`recordAudit(${event.action}) must run inside the transaction of the change (inTransaction)`);
  }
  await insertAuditEvent(tx.db, {
    actorId: tx.user?.id ?? null,
    actorRole: tx.user?.role ?? null,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId ?? null,
    detailsJson: event.details == null ? null : JSON.stringify(event.details),
  });
}

/**
 * The citizens whose own trail a filtered listing reads: the actor it names when that actor's
 * events are a citizen's, the citizen it names as target. Unfiltered browsing names no one.
 */
export function trailedCitizens(
  filter: Pick<AuditFilter, 'actorId' | 'targetType' | 'targetId'>,
  events: readonly Pick<AuditEvent, 'actorId' | 'actorRole' | 'targetType' | 'targetId'>[],
): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if (filter.actorId && event.actorRole === Role.CITIZEN && event.actorId) ids.add(event.actorId);
    const target = event.targetType === 'citizen' ? event.targetId : null;
    if (filter.targetId && target && isUuid(target)) ids.add(target);
  }
  return [...ids];
}

/**
 * The trail, newest first, for AUDITOR and ADMIN. A listing filtered to one citizen's events
 * is a read of their personal data and is logged as an access event (trailedCitizens).
 */
export async function listAuditEvents(
  ctx: Context,
  args: { filter?: AuditFilter | null; offset: number; limit: number },
): Promise<{ nodes: AuditEvent[]; hasNextPage: boolean; totalCount: number }> {
  requireRole(ctx, ...auditPolicy.auditEvents);
  const filter = args.filter ?? {};
  if (filter.from && filter.to && filter.from > filter.to) {
    throw BadInputError.field('filter.to', 'minDate', 'filter.to must not be before filter.from');
  }
  const { rows, totalCount } = await auditEventPage(
    ctx.db,
    {
      ...filter,
      actorId: filter.actorId?.toLowerCase(),
      targetId: filter.targetId?.toLowerCase(),
    },
    args.offset,
    args.limit,
  );
  const nodes = rows.slice(0, args.limit);
  for (const citizenId of trailedCitizens(filter, nodes)) {
    await recordAccess(ctx, { citizenId, what: PersonalDataRead.AUDIT_TRAIL, details: { filter } });
  }
  return {
    nodes: nodes.map((row) => Object.assign(new AuditEvent(), row)),
    hasNextPage: rows.length > args.limit,
    totalCount,
  };
}

/**
 * An event's details as the trail shows them: what a citizen wrote (a rating's comment …) with
 * its personal data redacted, ids and everything of the city's own people as stored.
 */
export function shownDetails(details: unknown, actorRole: Role | null): unknown {
  if (actorRole !== Role.CITIZEN) return details;
  const shown = (value: unknown): unknown => {
    if (typeof value === 'string') return isUuid(value) ? value : redactPersonalData(value);
    if (Array.isArray(value)) return value.map(shown);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, shown(v)]));
    }
    return value;
  };
  return shown(details);
}
