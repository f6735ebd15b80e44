import type { EntityManager } from 'typeorm';
import { queryRows, SqlConditions } from '../../db/sql';
import type { Role } from '../../core/auth';

/** The SQL of the audit trail (audit_event) and of the log of reads of personal data (access_event). */

export interface AuditEventRow {
  id: string;
  at: Date;
  actorId: string | null;
  actorRole: Role | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: unknown;
}

export interface NewAuditEvent {
  actorId: string | null;
  actorRole: Role | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** JSON text, or null. */
  detailsJson: string | null;
}

/**
 * The INSERT of one audit event whose values are SQL expressions, for a statement that also
 * makes the change the event describes (one statement commits or fails whole, like a
 * transaction): `details` is a jsonb expression.
 */
export const auditEventInsert = (event: {
  actorId: string;
  actorRole: string;
  action: string;
  targetType: string;
  targetId: string;
  details: string;
  /** A condition: the event is written only when it holds (a statement that may write nothing). */
  onlyIf?: string;
}) => {
  const values = `${event.actorId}, ${event.actorRole}, ${event.action}, ${event.targetType}, ${event.targetId}, ${event.details}`;
  return `INSERT INTO audit_event (actor_id, actor_role, action, target_type, target_id, details)
     ${event.onlyIf === undefined ? `VALUES (${values})` : `SELECT ${values} WHERE ${event.onlyIf}`}`;
};

export async function insertAuditEvent(db: EntityManager, event: NewAuditEvent): Promise<void> {
  await db.query(
    auditEventInsert({
      actorId: '$1',
      actorRole: '$2',
      action: '$3',
      targetType: '$4',
      targetId: '$5',
      details: '$6::jsonb',
    }),
    [event.actorId, event.actorRole, event.action, event.targetType, event.targetId, event.detailsJson],
  );
}

/** Which audit events a listing reads (ids already lower-cased; every field optional). */
export interface AuditEventCriteria {
  actorId?: string | null;
  action?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

const AUDIT_COLUMNS = `id::text AS id, at, actor_id AS "actorId", actor_role AS "actorRole", action,
  target_type AS "targetType", target_id AS "targetId", details`;

/** `limit + 1` events from `offset`, newest first (by time, then id), and the total of the criteria. */
export async function auditEventPage(
  db: EntityManager,
  criteria: AuditEventCriteria,
  offset: number,
  limit: number,
): Promise<{ rows: AuditEventRow[]; totalCount: number }> {
  const where = new SqlConditions()
    .equals('actor_id', criteria.actorId)
    .equals('action', criteria.action)
    .equals('target_type', criteria.targetType)
    .equals('target_id', criteria.targetId)
    .within('at', criteria.from, criteria.to);
  const countSql = `SELECT count(*)::int AS count FROM audit_event ${where.clause}`;
  const countParams = [...where.params];
  const rows = await queryRows<AuditEventRow>(
    db,
    `SELECT ${AUDIT_COLUMNS} FROM audit_event ${where.clause}
      ORDER BY at DESC, id DESC LIMIT ${where.param(limit + 1)} OFFSET ${where.param(offset)}`,
    where.params,
  );
  const [{ count }] = await queryRows<{ count: number }>(db, countSql, countParams);
  return { rows, totalCount: count };
}

export interface AccessEventRow {
  id: string;
  at: Date;
  requestId: string | null;
  actorId: string;
  actorRole: Role;
  actorDepartmentId: string | null;
  citizenId: string;
  what: string;
  details: unknown;
}

export interface NewAccessEvent {
  requestId: string | null;
  actorId: string;
  actorRole: Role;
  actorDepartmentId: string | null;
  citizenId: string;
  what: string;
  /** JSON text, or null. */
  detailsJson: string | null;
}

export async function insertAccessEvent(db: EntityManager, event: NewAccessEvent): Promise<void> {
  await db.query(
    `INSERT INTO access_event (request_id, actor_id, actor_role, actor_department_id, citizen_id, what, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      event.requestId,
      event.actorId,
      event.actorRole,
      event.actorDepartmentId,
      event.citizenId,
      event.what,
      event.detailsJson,
    ],
  );
}

/** Which access events a listing reads (ids already lower-cased; every field optional). */
export interface AccessEventCriteria {
  citizenId?: string | null;
  actorId?: string | null;
  actorRole?: Role | null;
  what?: string | null;
  from?: Date | null;
  to?: Date | null;
}

const ACCESS_COLUMNS = `id::text AS id, at, request_id AS "requestId", actor_id AS "actorId", actor_role AS "actorRole",
  actor_department_id AS "actorDepartmentId", citizen_id AS "citizenId", what, details`;

/**
 * `first + 1` access events newest first (by id), those before the event `afterId` when given
 * (keyset), and the total of the criteria (whatever the page).
 */
export async function accessEventPage(
  db: EntityManager,
  criteria: AccessEventCriteria,
  first: number,
  afterId: string | null,
): Promise<{ rows: AccessEventRow[]; totalCount: number }> {
  const where = new SqlConditions()
    .equals('citizen_id', criteria.citizenId)
    .equals('actor_id', criteria.actorId)
    .equals('actor_role', criteria.actorRole)
    .equals('what', criteria.what)
    .within('at', criteria.from, criteria.to);
  const countSql = `SELECT count(*)::int AS count FROM access_event ${where.clause}`;
  const countParams = [...where.params];
  if (afterId !== null) where.add(`id < ${where.param(afterId)}`);
  const rows = await queryRows<AccessEventRow>(
    db,
    `SELECT ${ACCESS_COLUMNS} FROM access_event ${where.clause} ORDER BY id DESC LIMIT ${where.param(first + 1)}`,
    where.params,
  );
  const [{ count }] = await queryRows<{ count: number }>(db, countSql, countParams);
  return { rows, totalCount: count };
}
