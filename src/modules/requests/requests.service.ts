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
import {
  caseById,
  caseNotes,
  casesPage,
  citizenCases,
  countCases,
  inboxCases,
  insertCaseNote,
  lockCaseRow,
  touchCase,
  transactionNow,
  updateCaseMove,
  type CaseMoveFields,
  type CaseRow,
  type CaseSelection,
} from './requests.queries';
import { isBlankText } from '../../text';

export const MAX_NOTE_LENGTH = 2000;

/** A case as read: its request text and notes attached, redacted for readers other than its citizen. */
export type CaseView = RequestCase & { text: string | null; notes: RequestNote[] };

/** Personal data is hidden from everyone but the citizen who wrote it: one place decides how. */
export function redactForStaff(text: string | null): string | null {
  return text === null ? null : redactPersonalData(text);
}

async function withNotes(ctx: Context, rows: CaseRow[], forCitizen: boolean): Promise<CaseView[]> {
  if (rows.length === 0) return [];
  const notes = await caseNotes(
    ctx.db,
    rows.map((r) => r.id),
    forCitizen,
  );
  return rows.map((row) => ({
    ...row,
    text: forCitizen ? row.text : redactForStaff(row.text),
    notes: notes.filter((n) => n.caseId === row.id),
  }));
}

async function page(
  ctx: Context,
  selection: CaseSelection,
  args: { offset: number; limit: number },
  forCitizen: boolean,
): Promise<{ nodes: CaseView[]; hasNextPage: boolean; totalCount: number }> {
  const rows = await casesPage(ctx.db, selection, args.offset, args.limit);
  let totalCount = rows[0]?.totalCount ?? 0;
  if (rows.length === 0 && args.offset > 0) totalCount = await countCases(ctx.db, selection);
  const nodes = await withNotes(ctx, rows.slice(0, args.limit), forCitizen);
  return { nodes, hasNextPage: rows.length > args.limit, totalCount };
}

/** A citizen's own requests and complaints, newest first. */
export async function listMyRequests(ctx: Context, args: { offset: number; limit: number }) {
  const user = requireRole(ctx, ...requestsPolicy.myRequests);
  return page(ctx, citizenCases(user.id), args, true);
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
  let departmentId = filter.departmentId?.toLowerCase() ?? null;
  if (user.role === Role.STAFF) {
    if (!user.departmentId) throw new ForbiddenError('A STAFF token needs a department (dept claim)');
    if (departmentId && departmentId !== user.departmentId)
      throw new ForbiddenError("Staff read only their own department's inbox");
    departmentId = user.departmentId;
  }
  const selection = inboxCases({
    departmentId,
    aboutOwnServices: Boolean(filter.aboutOwnServices),
    status: filter.status ?? null,
    overdue: filter.overdue ?? null,
    serviceId: filter.serviceId?.toLowerCase() ?? null,
    districtCode: filter.districtCode ?? null,
    now,
  });
  return page(ctx, selection, args, false);
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
  if (isBlankText(text)) throw BadInputError.field(field, 'isNotEmpty', `${field} must not be empty`);
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
  return inTransaction(ctx, async (tx) => {
    // Whether the caller may handle the case comes before what they ask of it.
    const current = await lockCase(tx, id);
    const target = move.action === 'REASSIGN' ? await reassignmentTarget(tx, move.departmentId, current) : null;
    const next = requireCaseMove(current.status, move.action as CaseAction);
    const now = await transactionNow(tx.db);
    const fields: CaseMoveFields = {};
    if (move.action === 'ACKNOWLEDGE') fields.acknowledgedAt = now;
    if (move.action === 'RESOLVE') Object.assign(fields, { resolvedAt: now, resolution: text! });
    if (move.action === 'CLOSE') Object.assign(fields, { closedAt: now, closeReason: text! });
    if (move.action === 'REASSIGN') {
      // The new department gets its own time to acknowledge; the citizen's expected time stands.
      fields.departmentId = target!;
      fields.acknowledgedAt = null;
      fields.acknowledgeDue = caseDeadlines(now, serviceLevels.default).acknowledgeDue;
    }
    await updateCaseMove(tx.db, id, current.status, next, now, fields);
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

/** The department a case is reassigned to, once the caller may handle it: an existing one, not its own. */
async function reassignmentTarget(
  tx: Context,
  departmentId: string,
  current: Pick<RequestCase, 'departmentId'>,
): Promise<string> {
  const target = departmentId.toLowerCase();
  const department = /^[0-9a-f-]{36}$/.test(target) ? await tx.loaders.department.load(target) : null;
  if (!department) throw new NotFoundError('Department', departmentId, 'departmentId');
  if (target === current.departmentId)
    throw BadInputError.field('departmentId', 'otherDepartment', 'departmentId must be another department');
  return target;
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
    await touchCase(tx.db, id);
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

async function lockCase(tx: Context, id: string): Promise<Pick<RequestCase, 'status' | 'departmentId' | 'citizenId'>> {
  const user = tx.user!;
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('Request', id, 'id');
  const row = await lockCaseRow(tx.db, id);
  if (!row) throw new NotFoundError('Request', id, 'id');
  if (row.departmentId !== user.departmentId)
    throw new ForbiddenError("Only staff of the request's department may handle it");
  return row;
}

async function insertNote(tx: Context, id: string, text: string, isPublic: boolean): Promise<void> {
  await insertCaseNote(tx.db, {
    caseId: id,
    authorId: tx.user!.id,
    departmentId: tx.user!.departmentId,
    isPublic,
    text,
  });
}

async function readCase(ctx: Context, id: string): Promise<CaseRow | undefined> {
  return caseById(ctx.db, id);
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
