import { isUuid, queryRows } from '../../db/sql';
import { redactPersonalData } from '../../text/redact';
import { Role } from '../../core/auth';
import { requireRole, type Context } from '../../core/context';
import { BadInputError } from '../../core/errors';
import { PersonalDataRead, recordAccess } from './access.service';
import { AuditEvent } from './audit-event.entity';
import type { AuditFilter } from './audit.inputs';
import { auditPolicy } from './audit.policy';

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
  await tx.db.query(
    `INSERT INTO audit_event (actor_id, actor_role, action, target_type, target_id, details)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
    [
      tx.user?.id ?? null,
      tx.user?.role ?? null,
      event.action,
      event.targetType,
      event.targetId ?? null,
      event.details == null ? null : JSON.stringify(event.details),
    ],
  );
}

const AUDIT_COLUMNS = `id::text AS id, at, actor_id AS "actorId", actor_role AS "actorRole", action,
  target_type AS "targetType", target_id AS "targetId", details`;

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
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (value: unknown) => `$${params.push(value)}`;
  if (filter.actorId) where.push(`actor_id = ${add(filter.actorId.toLowerCase())}`);
  if (filter.action) where.push(`action = ${add(filter.action)}`);
  if (filter.targetType) where.push(`target_type = ${add(filter.targetType)}`);
  if (filter.targetId) where.push(`target_id = ${add(filter.targetId.toLowerCase())}`);
  if (filter.from) where.push(`at >= ${add(filter.from.toISOString())}`);
  if (filter.to) where.push(`at < ${add(filter.to.toISOString())}`);
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const countParams = [...params];
  const rows = await queryRows<AuditEvent>(
    ctx.db,
    `SELECT ${AUDIT_COLUMNS} FROM audit_event ${whereSql}
      ORDER BY at DESC, id DESC LIMIT ${add(args.limit + 1)} OFFSET ${add(args.offset)}`,
    params,
  );
  const [{ count }] = await queryRows<{ count: number }>(
    ctx.db,
    `SELECT count(*)::int AS count FROM audit_event ${whereSql}`,
    countParams,
  );
  const nodes = rows.slice(0, args.limit);
  for (const citizenId of trailedCitizens(filter, nodes)) {
    await recordAccess(ctx, { citizenId, what: PersonalDataRead.AUDIT_TRAIL, details: { filter } });
  }
  return {
    nodes: nodes.map((row) => Object.assign(new AuditEvent(), row)),
    hasNextPage: rows.length > args.limit,
    totalCount: count,
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
