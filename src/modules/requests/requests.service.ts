import { queryRows } from '../../db/sql';
import { Role } from '../../core/auth';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, ForbiddenError, NotFoundError } from '../../core/errors';
import { recordAudit } from '../audit/audit.service';
import { notify, type NewNotification } from '../notifications/notifications.service';
import { redactPersonalData } from '../../text/redact';
import { CaseStatus, requireCaseMove, type CaseAction } from './case-state';
import { RequestCase } from './request-case.entity';
import { RequestNote } from './request-note.entity';
import { caseDeadlines, serviceLevels } from './routing';
import { requestsPolicy } from './requests.policy';

export const MAX_NOTE_LENGTH = 2000;

/** A case as read: its request text and notes attached, redacted for readers other than its citizen. */
export type CaseView = RequestCase & { text: string | null; notes: RequestNote[] };

const CASE_COLUMNS = `rc.signal_id::text AS id, rc.citizen_id AS "citizenId", rc.kind, rc.service_id AS "serviceId",
  rc.offered_service_ids AS "offeredServiceIds", rc.status, rc.department_id AS "departmentId",
  rc.district_code AS "districtCode", rc.opened_at AS "openedAt", rc.acknowledge_due AS "acknowledgeDue",
  rc.resolve_due AS "resolveDue", rc.acknowledged_at AS "acknowledgedAt", rc.resolved_at AS "resolvedAt",
  rc.closed_at AS "closedAt", rc.close_reason AS "closeReason", rc.resolution, rc.updated_at AS "updatedAt",
  s.text`;

/** Overdue in SQL, as isOverdue says it; $now is the parameter holding the instant. */
const overdueSql = (now: string) => `((rc.status = 'OPEN' AND rc.acknowledge_due < ${now})
  OR (rc.status IN ('OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS') AND rc.resolve_due < ${now}))`;

/** Personal data is hidden from everyone but the citizen who wrote it: one place decides how. */
export function redactForStaff(text: string | null): string | null {
  return text === null ? null : redactPersonalData(text);
}

async function withNotes(
  ctx: Context,
  rows: (RequestCase & { text: string | null })[],
  forCitizen: boolean,
): Promise<CaseView[]> {
  if (rows.length === 0) return [];
  const notes = await queryRows<RequestNote>(
    ctx.db,
    `SELECT id::text AS id, case_id::text AS "caseId", at, author_id AS "authorId", department_id AS "departmentId",
            is_public AS "isPublic", text
       FROM request_note WHERE case_id = ANY ($1::bigint[]) ${forCitizen ? 'AND is_public' : ''} ORDER BY at, id`,
    [rows.map((r) => r.id)],
  );
  return rows.map((row) => ({
    ...row,
    text: forCitizen ? row.text : redactForStaff(row.text),
    notes: notes.filter((n) => n.caseId === row.id),
  }));
}

async function page(
  ctx: Context,
  where: string[],
  params: unknown[],
  order: string,
  args: { offset: number; limit: number },
  forCitizen: boolean,
): Promise<{ nodes: CaseView[]; hasNextPage: boolean; totalCount: number }> {
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const rows = await queryRows<RequestCase & { text: string | null; totalCount: number }>(
    ctx.db,
    `SELECT ${CASE_COLUMNS}, count(*) OVER ()::int AS "totalCount"
       FROM request_case rc JOIN signal s ON s.id = rc.signal_id
       ${clause} ORDER BY ${order} LIMIT ${args.limit + 1} OFFSET ${args.offset}`,
    params,
  );
  let totalCount = rows[0]?.totalCount ?? 0;
  if (rows.length === 0 && args.offset > 0) {
    [{ totalCount }] = await queryRows<{ totalCount: number }>(
      ctx.db,
      `SELECT count(*)::int AS "totalCount" FROM request_case rc ${clause}`,
      params,
    );
  }
  const nodes = await withNotes(ctx, rows.slice(0, args.limit), forCitizen);
  return { nodes, hasNextPage: rows.length > args.limit, totalCount };
}

/** A citizen's own requests and complaints, newest first. */
export async function listMyRequests(ctx: Context, args: { offset: number; limit: number }) {
  const user = requireRole(ctx, ...requestsPolicy.myRequests);
  return page(ctx, ['rc.citizen_id = $1'], [user.id], 'rc.opened_at DESC, rc.signal_id DESC', args, true);
}

export interface InboxFilter {
  departmentId?: string | null;
  status?: CaseStatus[] | null;
  overdue?: boolean | null;
  serviceId?: string | null;
  districtCode?: string | null;
  aboutOwnServices?: boolean | null;
}

/**
 * A department's cases, the next deadline first. STAFF read their own department's;
 * PLANNER and ADMIN any department's, or every department's without `departmentId`. With
 * `aboutOwnServices`, the complaints about the department's services instead, whoever
 * handles them (a department reads them after reassigning one; it can act only on its own).
 */
export async function departmentInbox(
  ctx: Context,
  args: { filter?: InboxFilter | null; offset: number; limit: number },
  now = new Date(),
) {
  const user = requireRole(ctx, ...requestsPolicy.departmentInbox);
  const filter = args.filter ?? {};
  const params: unknown[] = [];
  const add = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  let departmentId = filter.departmentId?.toLowerCase() ?? null;
  if (user.role === Role.STAFF) {
    if (!user.departmentId) throw new ForbiddenError('A STAFF token needs a department (dept claim)');
    if (departmentId && departmentId !== user.departmentId)
      throw new ForbiddenError("Staff read only their own department's inbox");
    departmentId = user.departmentId;
  }
  if (filter.aboutOwnServices) {
    where.push(`rc.kind = 'COMPLAINT'`);
    if (departmentId)
      where.push(`rc.service_id IN (SELECT id FROM service WHERE department_id = ${add(departmentId)}::uuid)`);
  } else if (departmentId) where.push(`rc.department_id = ${add(departmentId)}`);
  else where.push('rc.department_id IS NOT NULL');
  where.push('rc.acknowledge_due IS NOT NULL');
  if (filter.status?.length) where.push(`rc.status = ANY (${add(filter.status)}::request_case_status[])`);
  if (filter.overdue != null)
    where.push(`${filter.overdue ? '' : 'NOT '}${overdueSql(`${add(now.toISOString())}::timestamptz`)}`);
  if (filter.serviceId) {
    const id = add(filter.serviceId.toLowerCase());
    where.push(`(rc.service_id = ${id}::uuid OR ${id}::uuid = ANY (rc.offered_service_ids))`);
  }
  if (filter.districtCode) where.push(`rc.district_code = ${add(filter.districtCode)}`);
  const order = `CASE WHEN rc.status = 'OPEN' THEN rc.acknowledge_due ELSE rc.resolve_due END ASC NULLS LAST, rc.signal_id`;
  return page(ctx, where, params, order, args, false);
}

/** One case, for its citizen or for staff of its department (PLANNER, ADMIN: any). */
export async function findVisibleCase(ctx: Context, id: string): Promise<CaseView | null> {
  const user = requireRole(ctx, ...requestsPolicy.citizenRequest);
  if (!/^\d{1,18}$/.test(id)) return null;
  const row = await readCase(ctx, id);
  if (!row) return null;
  if (user.role === Role.CITIZEN && row.citizenId !== user.id) return null;
  if (user.role === Role.STAFF && row.departmentId !== user.departmentId) return null;
  return (await withNotes(ctx, [row], user.role === Role.CITIZEN))[0];
}

function requireText(value: string | null | undefined, field: string): string {
  const text = value?.trim() ?? '';
  if (text === '') throw BadInputError.field(field, 'isNotEmpty', `${field} must not be empty`);
  if (text.length > MAX_NOTE_LENGTH)
    throw BadInputError.field(field, 'maxLength', `${field} must be at most ${MAX_NOTE_LENGTH} characters`);
  return text;
}

export type CaseMove =
  | { action: 'ACKNOWLEDGE' | 'START' }
  | { action: 'RESOLVE'; answer: string }
  | { action: 'CLOSE'; reason: string }
  | { action: 'REASSIGN'; departmentId: string; reason: string };

/**
 * Moves a case for STAFF of its department: locks the row, checks the move on the locked
 * state, writes, adds the answer or reason as a public note, and audits, in one transaction.
 */
/** The mutation of each move (its entry in the policy table). */
const MOVE_OPERATIONS = {
  ACKNOWLEDGE: 'acknowledgeRequest',
  START: 'startRequest',
  RESOLVE: 'resolveRequest',
  CLOSE: 'closeRequest',
  REASSIGN: 'reassignRequest',
} as const satisfies Record<CaseMove['action'], keyof typeof requestsPolicy>;

export async function moveCase(ctx: Context, id: string, move: CaseMove): Promise<CaseView> {
  const user = requireRole(ctx, ...requestsPolicy[MOVE_OPERATIONS[move.action]]);
  if (!user.departmentId) throw new ForbiddenError('A STAFF token needs a department (dept claim)');
  const text =
    move.action === 'RESOLVE'
      ? requireText(move.answer, 'answer')
      : move.action === 'CLOSE' || move.action === 'REASSIGN'
        ? requireText(move.reason, 'reason')
        : null;
  let target: string | null = null;
  if (move.action === 'REASSIGN') {
    target = move.departmentId.toLowerCase();
    const department = /^[0-9a-f-]{36}$/.test(target) ? await ctx.loaders.department.load(target) : null;
    if (!department) throw new NotFoundError('Department', move.departmentId, 'departmentId');
    if (target === user.departmentId)
      throw BadInputError.field('departmentId', 'otherDepartment', 'departmentId must be another department');
  }
  return inTransaction(ctx, async (tx) => {
    const current = await lockCase(tx, id);
    const next = requireCaseMove(current.status, move.action as CaseAction);
    const [{ now }] = await queryRows<{ now: Date }>(tx.db, 'SELECT now() AS now');
    const sets: string[] = ['status = $2', 'updated_at = $3'];
    const params: unknown[] = [id, next, now];
    const set = (column: string, value: unknown) => sets.push(`${column} = $${params.push(value)}`);
    if (move.action === 'ACKNOWLEDGE') set('acknowledged_at', now);
    if (move.action === 'RESOLVE') {
      set('resolved_at', now);
      set('resolution', text);
    }
    if (move.action === 'CLOSE') {
      set('closed_at', now);
      set('close_reason', text);
    }
    if (move.action === 'REASSIGN') {
      // The new department gets its own time to acknowledge; the citizen's expected time stands.
      set('department_id', target);
      set('acknowledged_at', null);
      set('acknowledge_due', caseDeadlines(now, serviceLevels.default).acknowledgeDue);
    }
    await tx.db.query(
      `UPDATE request_case SET ${sets.join(', ')} WHERE signal_id = $1 AND status = '${current.status}'`,
      params,
    );
    if (text !== null) await insertNote(tx, id, text, true);
    await notify(tx.db, caseMoveNotices(id, current, next, move.action as CaseAction, text, target));
    await recordAudit(tx, {
      action: `request.${move.action.toLowerCase()}`,
      targetType: 'request',
      targetId: id,
      details: {
        from: current.status,
        to: next,
        ...(target ? { fromDepartment: current.departmentId, toDepartment: target } : {}),
        ...(text ? { text } : {}),
      },
    });
    return findCaseInTransaction(tx, id);
  });
}

/** A public note (the citizen reads it) or an internal one, by STAFF of the case's department. */
export async function addCaseNote(
  ctx: Context,
  id: string,
  input: { text: string; internal?: boolean | null },
): Promise<CaseView> {
  requireRole(ctx, ...requestsPolicy.addRequestNote);
  const text = requireText(input.text, 'text');
  return inTransaction(ctx, async (tx) => {
    const current = await lockCase(tx, id);
    await tx.db.query('UPDATE request_case SET updated_at = now() WHERE signal_id = $1', [id]);
    await insertNote(tx, id, text, !input.internal);
    if (!input.internal)
      await notify(tx.db, [
        { citizenId: current.citizenId, kind: 'request.note', requestId: id, message: `您的诉求有新的回复：${text}` },
      ]);
    await recordAudit(tx, {
      action: 'request.note',
      targetType: 'request',
      targetId: id,
      details: { public: !input.internal },
    });
    return findCaseInTransaction(tx, id);
  });
}

async function lockCase(tx: Context, id: string): Promise<RequestCase> {
  const user = tx.user!;
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('Request', id, 'id');
  const [row] = await queryRows<RequestCase>(
    tx.db,
    `SELECT signal_id::text AS id, status, department_id AS "departmentId", citizen_id AS "citizenId"
       FROM request_case WHERE signal_id = $1 FOR UPDATE`,
    [id],
  );
  if (!row) throw new NotFoundError('Request', id, 'id');
  if (row.departmentId !== user.departmentId)
    throw new ForbiddenError("Only staff of the request's department may handle it");
  return row;
}

async function insertNote(tx: Context, id: string, text: string, isPublic: boolean): Promise<void> {
  await tx.db.query(
    'INSERT INTO request_note (case_id, author_id, department_id, is_public, text) VALUES ($1, $2, $3, $4, $5)',
    [id, tx.user!.id, tx.user!.departmentId, isPublic, text],
  );
}

async function readCase(ctx: Context, id: string): Promise<(RequestCase & { text: string | null }) | undefined> {
  const [row] = await queryRows<RequestCase & { text: string | null }>(
    ctx.db,
    `SELECT ${CASE_COLUMNS} FROM request_case rc JOIN signal s ON s.id = rc.signal_id WHERE rc.signal_id = $1`,
    [id],
  );
  return row;
}

/** The case as its handler sees it after a move (also after reassigning it away). */
async function findCaseInTransaction(tx: Context, id: string): Promise<CaseView> {
  return (await withNotes(tx, [(await readCase(tx, id))!], false))[0];
}

const STATUS_WORDS: Record<CaseStatus, string> = {
  OPEN: '已转交',
  ACKNOWLEDGED: '已签收',
  IN_PROGRESS: '正在办理',
  RESOLVED: '已办结',
  CLOSED: '已关闭',
};

/** What a move tells the citizen (always) and, on reassignment, the receiving department. */
export function caseMoveNotices(
  id: string,
  current: Pick<RequestCase, 'citizenId'>,
  next: CaseStatus,
  action: CaseAction,
  text: string | null,
  target: string | null,
): NewNotification[] {
  const notices: NewNotification[] = [
    {
      citizenId: current.citizenId,
      kind: action === 'RESOLVE' ? 'request.answer' : 'request.status',
      requestId: id,
      message: `您的诉求${STATUS_WORDS[next]}${text ? `：${text}` : ''}`,
    },
  ];
  if (action === 'REASSIGN' && target) {
    notices.push({
      departmentId: target,
      kind: 'request.routed',
      requestId: id,
      message: `转来一件诉求，请签收：${text ?? ''}`,
    });
  }
  return notices;
}
