import type { EntityManager } from 'typeorm';
import { cityDay, queryPrepared, queryRows, SqlConditions } from '../../db/sql';
import { routeCaseSql } from './routing';
import { insertNotificationsFrom } from '../notifications/notifications.queries';
import type { CaseStatus } from './case-state';
import type { UnmetRequest } from './need-met';
import type { RequestCase } from './request-case.entity';
import type { RequestNote } from './request-note.entity';

/**
 * The SQL of requests' cases: opening them, their moves and notes, the citizen's list and the
 * departments' inbox, the deadline notices, the need-met candidates and the departments'
 * figures. Ratings are in satisfaction.queries.ts.
 */

// ---- opening cases (in the transaction that inserted the signals)

/** What routing a REQUEST or COMPLAINT signal needs. */
export interface SignalFacts {
  id: string;
  kind: 'REQUEST' | 'COMPLAINT';
  unmet: boolean | null;
  openedAt: Date;
  /** The signal's received_at to the microsecond (a Date keeps milliseconds): its partition key. */
  receivedAt: string;
  /** The signal's citizen, service and district, which its case copies. */
  citizenId: string;
  serviceId: string | null;
  districtCode: string;
  serviceDepartmentId: string | null;
  closestDepartmentId: string | null;
  categoryCode: string | null;
  parentCategoryCode: string | null;
  defaultDepartmentId: string | null;
}

/**
 * What routing needs of the REQUEST and COMPLAINT signals of `signals`, a FROM item with the
 * signal table's id, kind, unmet, received_at, service_id, category_id and matched_service_id
 * (the table itself, or the rows an INSERT returned); the default department by the code that
 * the SQL expression `defaultDepartmentCode` gives.
 */
export const caseFactsOf = (signals: string, defaultDepartmentCode: string) =>
  `SELECT s.id::text AS id, s.kind::text AS kind, s.unmet, s.received_at AS "openedAt", s.received_at::text AS "receivedAt",
          s.citizen_id AS "citizenId", s.service_id AS "serviceId", s.district_code AS "districtCode",
          sv.department_id AS "serviceDepartmentId", ms.department_id AS "closestDepartmentId",
          c.code AS "categoryCode", p.code AS "parentCategoryCode",
          (SELECT id FROM department WHERE code = ${defaultDepartmentCode}) AS "defaultDepartmentId"
     FROM ${signals} s
     LEFT JOIN service sv ON sv.id = s.service_id
     LEFT JOIN service ms ON ms.id = s.matched_service_id
     LEFT JOIN category c ON c.id = COALESCE(sv.category_id, s.category_id, ms.category_id)
     LEFT JOIN category p ON p.id = c.parent_id
    WHERE s.kind IN ('REQUEST', 'COMPLAINT')`;

/**
 * CTEs (`opened`, `notices` and insertNotificationsFrom's) that open the cases of `rows` (a CTE
 * with signal_id, received_at, citizen_id, kind, service_id, district_code, status,
 * department_id, acknowledge_due and resolve_due), a signal's second case skipped, and give the
 * department of each OPEN case with deadlines the notice of SQL expressions `noticeKind` and
 * `noticeMessage` (with its outbox row).
 */
const insertCasesFrom = (rows: string, noticeKind: string, noticeMessage: string) => `opened AS (
       INSERT INTO request_case (signal_id, signal_received_at, citizen_id, kind, service_id, status, department_id,
                                 district_code, opened_at, acknowledge_due, resolve_due, resolved_at, updated_at)
       SELECT signal_id, received_at, citizen_id, kind::request_case_kind, service_id, status::request_case_status,
              department_id, district_code, received_at, acknowledge_due, resolve_due,
              CASE WHEN status = 'RESOLVED' THEN received_at END, received_at
         FROM ${rows}
       ON CONFLICT (signal_id) DO NOTHING
     ), notices AS (
       SELECT NULL::uuid AS citizen_id, department_id, ${noticeKind}::varchar AS kind, signal_id AS request_id,
              NULL::uuid AS service_id, ${noticeMessage}::text AS message, NULL::bigint AS rating_id
         FROM ${rows} WHERE acknowledge_due IS NOT NULL AND department_id IS NOT NULL
     ), ${insertNotificationsFrom('notices')}`;

/**
 * CTEs that open the cases of the REQUEST and COMPLAINT signals of `signals` in the statement
 * that inserted them (`signals`: the rows its INSERT returned, with id, kind, unmet,
 * received_at, citizen_id, service_id, category_id, district_code and matched_service_id), as
 * openCases does: routed by routeCaseSql, a met request RESOLVED, the others OPEN with their
 * deadlines, and a notice (with its outbox row) for each routed OPEN case. The SQL expressions
 * of `params`: the default department's code, the deadline table (deadlineDaysAround, as four
 * arrays: category code, city date, acknowledge days, resolve days) and the notice's kind and
 * message. A case opened on a city date missing from the table fails the statement.
 */
export const openCasesFrom = (
  signals: string,
  params: {
    defaultDepartmentCode: string;
    deadlineDays: [string, string, string, string];
    noticeKind: string;
    noticeMessage: string;
  },
) => {
  const noDeadlines = `('no deadlines for the city date of signal ' || s.id)::int`;
  return `case_rows AS (
       SELECT s.id AS signal_id, s.received_at, s.citizen_id, s.kind::text AS kind, s.service_id, s.district_code,
              CASE WHEN o.unmet THEN 'OPEN' ELSE 'RESOLVED' END AS status,
              ${routeCaseSql({
                kind: 's.kind',
                unmet: 'o.unmet',
                serviceDepartmentId: 'sv.department_id',
                closestDepartmentId: 'ms.department_id',
                defaultDepartmentId: `(SELECT id FROM department WHERE code = ${params.defaultDepartmentCode})`,
              })} AS department_id,
              -- No row for the case's city date (clocks a day apart) fails the statement, rather than leave an open case without deadlines.
              CASE WHEN o.unmet THEN s.received_at + COALESCE(d.acknowledge_days, ${noDeadlines}) * interval '24 hours' END AS acknowledge_due,
              CASE WHEN o.unmet THEN s.received_at + COALESCE(d.resolve_days, ${noDeadlines}) * interval '24 hours' END AS resolve_due
         FROM ${signals} s
        CROSS JOIN LATERAL (SELECT s.kind = 'COMPLAINT' OR s.unmet IS DISTINCT FROM false AS unmet) o
         LEFT JOIN service sv ON sv.id = s.service_id
         LEFT JOIN service ms ON ms.id = s.matched_service_id
         LEFT JOIN category c ON c.id = COALESCE(sv.category_id, s.category_id, ms.category_id)
         LEFT JOIN category p ON p.id = c.parent_id
        -- The level of the category, else of its parent, else the default, on the case's city date.
         LEFT JOIN LATERAL (
              SELECT l.acknowledge_days, l.resolve_days
                FROM unnest(${params.deadlineDays[0]}::text[], ${params.deadlineDays[1]}::date[],
                            ${params.deadlineDays[2]}::int[], ${params.deadlineDays[3]}::int[])
                  AS l(category_code, day, acknowledge_days, resolve_days)
               WHERE l.day = ${cityDay('s.received_at')}
                 AND (l.category_code IS NULL OR l.category_code IN (c.code, p.code))
               ORDER BY CASE WHEN l.category_code = c.code THEN 0 WHEN l.category_code = p.code THEN 1 ELSE 2 END
               LIMIT 1) d ON o.unmet
        WHERE s.kind IN ('REQUEST', 'COMPLAINT')
     ), ${insertCasesFrom('case_rows', params.noticeKind, params.noticeMessage)}`;
};

/** The REQUEST and COMPLAINT signals among `signalIds`, with what routing them needs (the default department by code). */
export async function signalFactsForCases(
  db: EntityManager,
  signalIds: string[],
  defaultDepartmentCode: string,
): Promise<SignalFacts[]> {
  return queryPrepared<SignalFacts>(db, `${caseFactsOf('signal', '$2')} AND s.id = ANY ($1::bigint[])`, [
    signalIds,
    defaultDepartmentCode,
  ]);
}

/** A case to open: OPEN and routed with its deadlines, or RESOLVED (a met request). */
export interface NewCase {
  id: string;
  /** The signal's received_at, exact (SignalFacts.receivedAt). */
  receivedAt: string;
  citizenId: string;
  kind: 'REQUEST' | 'COMPLAINT';
  serviceId: string | null;
  districtCode: string;
  status: 'OPEN' | 'RESOLVED';
  departmentId: string | null;
  due: { acknowledgeDue: Date; resolveDue: Date } | null;
}

/** The notice a department gets of a case routed to it with deadlines. */
export interface RoutedNotice {
  kind: string;
  message: string;
}

/**
 * Opens the cases of signals (their citizen, kind, service, district and time copied from the
 * facts, not read again from the signal's partition); a signal's second case is skipped. The
 * department of each OPEN case with deadlines gets `notice` (with its outbox row), in the same
 * statement.
 */
export async function insertCases(db: EntityManager, cases: NewCase[], notice: RoutedNotice): Promise<void> {
  await queryPrepared(
    db,
    `WITH r AS (
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::text[], $5::uuid[], $6::varchar[],
                            $7::text[], $8::uuid[], $9::timestamptz[], $10::timestamptz[])
         AS r(signal_id, received_at, citizen_id, kind, service_id, district_code, status, department_id,
              acknowledge_due, resolve_due)
     ), ${insertCasesFrom('r', '$11', '$12')}
     SELECT count(*)::int AS notified FROM queued`,
    [
      cases.map((r) => r.id),
      cases.map((r) => r.receivedAt),
      cases.map((r) => r.citizenId),
      cases.map((r) => r.kind),
      cases.map((r) => r.serviceId),
      cases.map((r) => r.districtCode),
      cases.map((r) => r.status),
      cases.map((r) => r.departmentId),
      cases.map((r) => r.due?.acknowledgeDue.toISOString() ?? null),
      cases.map((r) => r.due?.resolveDue.toISOString() ?? null),
      notice.kind,
      notice.message,
    ],
  );
}

/** The services a request was answered with. */
export async function setOfferedServices(db: EntityManager, signalId: string, serviceIds: string[]): Promise<void> {
  await db.query('UPDATE request_case SET offered_service_ids = $2::uuid[] WHERE signal_id = $1', [
    signalId,
    serviceIds,
  ]);
}

// ---- reading cases

/** A case as read, with its request's text. */
export type CaseRow = RequestCase & { text: string | null };

const CASE_COLUMNS = `rc.signal_id::text AS id, rc.citizen_id AS "citizenId", rc.kind, rc.service_id AS "serviceId",
  rc.offered_service_ids AS "offeredServiceIds", rc.status, rc.department_id AS "departmentId",
  rc.district_code AS "districtCode", rc.opened_at AS "openedAt", rc.acknowledge_due AS "acknowledgeDue",
  rc.resolve_due AS "resolveDue", rc.acknowledged_at AS "acknowledgedAt", rc.resolved_at AS "resolvedAt",
  rc.closed_at AS "closedAt", rc.close_reason AS "closeReason", rc.resolution, rc.updated_at AS "updatedAt",
  s.text`;

/** Overdue in SQL, as isOverdue says it; $now is the parameter holding the instant. */
const overdueSql = (now: string) => `((rc.status = 'OPEN' AND rc.acknowledge_due < ${now})
  OR (rc.status IN ('OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS') AND rc.resolve_due < ${now}))`;

/** The notes of cases (public ones only, when asked), oldest first. */
export async function caseNotes(db: EntityManager, caseIds: string[], publicOnly: boolean): Promise<RequestNote[]> {
  return queryRows<RequestNote>(
    db,
    `SELECT id::text AS id, case_id::text AS "caseId", at, author_id AS "authorId", department_id AS "departmentId",
            is_public AS "isPublic", text
       FROM request_note WHERE case_id = ANY ($1::bigint[]) ${publicOnly ? 'AND is_public' : ''} ORDER BY at, request_note.id`,
    [caseIds],
  );
}

/** Which cases a listing reads, and in which order (built by citizenCases or inboxCases). */
export interface CaseSelection {
  where: SqlConditions;
  order: string;
}

/** A citizen's own cases, newest first. */
export function citizenCases(citizenId: string): CaseSelection {
  return {
    where: new SqlConditions().equals('rc.citizen_id', citizenId),
    order: 'rc.opened_at DESC, rc.signal_id DESC',
  };
}

/** What a department's inbox shows. */
export interface InboxCriteria {
  /** Null: every department's. */
  departmentId: string | null;
  /** The complaints about the department's services instead, whoever handles them. */
  aboutOwnServices: boolean;
  status: CaseStatus[] | null;
  /** Overdue at `now`, or not (null: either). */
  overdue: boolean | null;
  /** Cases about the service or answered with it. */
  serviceId: string | null;
  districtCode: string | null;
  now: Date;
}

/** Routed cases as an inbox filters them, the next deadline first. */
export function inboxCases(criteria: InboxCriteria): CaseSelection {
  const where = new SqlConditions();
  const { departmentId } = criteria;
  if (criteria.aboutOwnServices) {
    where.add(`rc.kind = 'COMPLAINT'`);
    if (departmentId)
      where.add(`rc.service_id IN (SELECT id FROM service WHERE department_id = ${where.param(departmentId)}::uuid)`);
  } else if (departmentId) where.equals('rc.department_id', departmentId);
  else where.add('rc.department_id IS NOT NULL');
  where.add('rc.acknowledge_due IS NOT NULL');
  if (criteria.status?.length) where.add(`rc.status = ANY (${where.param(criteria.status)}::request_case_status[])`);
  if (criteria.overdue != null)
    where.add(
      `${criteria.overdue ? '' : 'NOT '}${overdueSql(`${where.param(criteria.now.toISOString())}::timestamptz`)}`,
    );
  if (criteria.serviceId) {
    const id = where.param(criteria.serviceId);
    where.add(`(rc.service_id = ${id}::uuid OR ${id}::uuid = ANY (rc.offered_service_ids))`);
  }
  where.equals('rc.district_code', criteria.districtCode);
  const order = `CASE WHEN rc.status = 'OPEN' THEN rc.acknowledge_due ELSE rc.resolve_due END ASC NULLS LAST, rc.signal_id`;
  return { where, order };
}

/** A page of the selected cases: `limit` + 1 rows at most (the last tells of a next page), each with the total. */
export async function casesPage(
  db: EntityManager,
  selection: CaseSelection,
  offset: number,
  limit: number,
): Promise<(CaseRow & { totalCount: number })[]> {
  return queryRows<CaseRow & { totalCount: number }>(
    db,
    `SELECT ${CASE_COLUMNS}, count(*) OVER ()::int AS "totalCount"
       FROM request_case rc JOIN signal s ON s.id = rc.signal_id AND s.received_at = rc.signal_received_at
       ${selection.where.clause} ORDER BY ${selection.order} LIMIT ${limit + 1} OFFSET ${offset}`,
    selection.where.params,
  );
}

/** How many cases are selected (for a page past the end, which has no row to tell). */
export async function countCases(db: EntityManager, selection: CaseSelection): Promise<number> {
  const [{ totalCount }] = await queryRows<{ totalCount: number }>(
    db,
    `SELECT count(*)::int AS "totalCount" FROM request_case rc ${selection.where.clause}`,
    selection.where.params,
  );
  return totalCount;
}

/** One case with its request's text; none: no row. */
export async function caseById(db: EntityManager, id: string): Promise<CaseRow | undefined> {
  const [row] = await queryRows<CaseRow>(
    db,
    `SELECT ${CASE_COLUMNS} FROM request_case rc JOIN signal s ON s.id = rc.signal_id AND s.received_at = rc.signal_received_at WHERE rc.signal_id = $1`,
    [id],
  );
  return row;
}

// ---- moving cases (in the caller's transaction)

/** The transaction's time (now()), which a move stamps. */
export async function transactionNow(db: EntityManager): Promise<Date> {
  const [{ now }] = await queryRows<{ now: Date }>(db, 'SELECT now() AS now');
  return now;
}

/** A case's handling fields, its row locked for the rest of the transaction; none: no row. */
export async function lockCaseRow(
  db: EntityManager,
  id: string,
): Promise<Pick<RequestCase, 'id' | 'status' | 'departmentId' | 'citizenId'> | undefined> {
  const [row] = await queryRows<RequestCase>(
    db,
    `SELECT signal_id::text AS id, status, department_id AS "departmentId", citizen_id AS "citizenId"
       FROM request_case WHERE signal_id = $1 FOR UPDATE`,
    [id],
  );
  return row;
}

/** What a move writes besides the status and updated_at (undefined: left as it is). */
export interface CaseMoveFields {
  departmentId?: string;
  acknowledgedAt?: Date | null;
  acknowledgeDue?: Date;
  resolvedAt?: Date;
  resolution?: string;
  closedAt?: Date;
  closeReason?: string;
}

const MOVE_COLUMNS = [
  ['departmentId', 'department_id'],
  ['acknowledgedAt', 'acknowledged_at'],
  ['acknowledgeDue', 'acknowledge_due'],
  ['resolvedAt', 'resolved_at'],
  ['resolution', 'resolution'],
  ['closedAt', 'closed_at'],
  ['closeReason', 'close_reason'],
] as const satisfies readonly (readonly [keyof CaseMoveFields, string])[];

/**
 * Moves a case from `from` to `to` at `at` with the move's fields, only while it is still in
 * `from`; how many rows changed (0: it no longer was).
 */
export async function updateCaseMove(
  db: EntityManager,
  id: string,
  from: CaseStatus,
  to: CaseStatus,
  at: Date,
  fields: CaseMoveFields,
): Promise<number> {
  const sets: string[] = ['status = $2', 'updated_at = $3'];
  const params: unknown[] = [id, to, at];
  for (const [field, column] of MOVE_COLUMNS) {
    if (fields[field] !== undefined) sets.push(`${column} = $${params.push(fields[field])}`);
  }
  const result = (await db.query(
    `UPDATE request_case SET ${sets.join(', ')} WHERE signal_id = $1 AND status = '${from}'`,
    params,
  )) as [unknown[], number];
  return result[1];
}

/** Stamps a case's updated_at (a note was added). */
export async function touchCase(db: EntityManager, id: string): Promise<void> {
  await db.query('UPDATE request_case SET updated_at = now() WHERE signal_id = $1', [id]);
}

/** A note on a case, by its author for their department; public ones the citizen reads. */
export interface NewCaseNote {
  caseId: string;
  authorId: string;
  departmentId: string | null;
  isPublic: boolean;
  text: string;
}

export async function insertCaseNote(db: EntityManager, note: NewCaseNote): Promise<void> {
  await db.query(
    'INSERT INTO request_note (case_id, author_id, department_id, is_public, text) VALUES ($1, $2, $3, $4, $5)',
    [note.caseId, note.authorId, note.departmentId, note.isPublic, note.text],
  );
}

// ---- deadline notices

/** A case deadline near or passed whose department has not had that notice. */
export interface DueCase {
  requestId: string;
  departmentId: string;
  kind: 'request.acknowledge_near' | 'request.acknowledge_overdue' | 'request.resolve_near' | 'request.resolve_overdue';
  due: Date;
}

/** An unanswered rectification whose deadline is near or passed and whose department has not had that notice. */
export interface DueRectification {
  ratingId: string;
  departmentId: string;
  requestId: string | null;
  serviceId: string | null;
  kind: 'rating.rectification_near' | 'rating.rectification_overdue';
  due: Date;
}

/**
 * The deadlines of open cases that are near (within `nearHours` of `at`) or passed, and
 * whose department has not had that notice: acknowledging while OPEN, resolving while OPEN,
 * ACKNOWLEDGED or IN_PROGRESS. A passed deadline gives only the overdue notice. The first
 * `batch`, soonest due first.
 */
export async function dueCaseDeadlines(
  db: EntityManager,
  at: Date,
  nearHours: number,
  batch: number,
): Promise<DueCase[]> {
  return queryRows<DueCase>(
    db,
    `
  WITH due AS (
    SELECT rc.signal_id, rc.department_id, d.stage, d.due,
           'request.' || d.stage || CASE WHEN d.due <= $1::timestamptz THEN '_overdue' ELSE '_near' END AS kind
      FROM request_case rc
     CROSS JOIN LATERAL (VALUES ('acknowledge', rc.acknowledge_due, rc.status = 'OPEN'),
                                ('resolve', rc.resolve_due, rc.status IN ('OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS')))
           AS d(stage, due, pending)
     WHERE rc.status IN ('OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS') AND rc.department_id IS NOT NULL
       AND d.pending AND d.due <= $1::timestamptz + make_interval(hours => $2::int))
  SELECT signal_id::text AS "requestId", department_id AS "departmentId", kind, due FROM due
   WHERE NOT EXISTS (SELECT 1 FROM notification n
                      WHERE n.request_id = due.signal_id AND n.kind = due.kind AND n.department_id = due.department_id)
   ORDER BY due, signal_id LIMIT ${batch}`,
    [at.toISOString(), nearHours],
  );
}

/** Unanswered rectifications due within `nearHours` of `at` or past due, not yet noticed; the first `batch`, soonest first. */
export async function dueRectificationDeadlines(
  db: EntityManager,
  at: Date,
  nearHours: number,
  batch: number,
): Promise<DueRectification[]> {
  return queryRows<DueRectification>(
    db,
    `
  WITH due AS (
    SELECT r.id, r.department_id, r.case_id, r.service_id, r.rectification_due AS due,
           'rating.rectification_' || CASE WHEN r.rectification_due <= $1::timestamptz THEN 'overdue' ELSE 'near' END AS kind
      FROM satisfaction_rating r
     WHERE r.rectification_due IS NOT NULL AND r.rectified_at IS NULL AND r.department_id IS NOT NULL
       AND r.rectification_due <= $1::timestamptz + make_interval(hours => $2::int))
  SELECT id::text AS "ratingId", department_id AS "departmentId", case_id::text AS "requestId",
         service_id AS "serviceId", kind, due FROM due
   WHERE NOT EXISTS (SELECT 1 FROM notification n WHERE n.rating_id = due.id AND n.kind = due.kind)
   ORDER BY due, id LIMIT ${batch}`,
    [at.toISOString(), nearHours],
  );
}

// ---- need-met notices

/** An unmet request a new service may meet, with its citizen and when it came. */
export type NeedMetCandidate = UnmetRequest & { citizenId: string; receivedAt: Date };

/**
 * The unmet free-text requests of the last `windowDays` days that never had a `kind` notice,
 * newest first, at most `max`.
 */
export async function needMetCandidates(
  db: EntityManager,
  windowDays: number,
  kind: string,
  max: number,
): Promise<NeedMetCandidate[]> {
  return queryRows<NeedMetCandidate>(
    db,
    `SELECT s.id::text AS id, s.text, s.need_code AS "needCode", s.district_code AS "districtCode",
            s.citizen_id AS "citizenId", s.received_at AS "receivedAt"
       FROM signal s
      WHERE s.kind = 'REQUEST' AND s.unmet AND s.citizen_id IS NOT NULL AND s.text IS NOT NULL
        AND s.occurred_at >= now() - make_interval(days => $1)
        AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.kind = $2 AND n.request_id = s.id)
      ORDER BY s.occurred_at DESC LIMIT ${max}`,
    [windowDays, kind],
  );
}

/**
 * Marks REQUEST signals met (unmet = false) once a newly published service meets them, so that
 * unmet demand and later proposals' evidence no longer count them.
 */
export async function markRequestsMet(db: EntityManager, requestIds: readonly string[]): Promise<void> {
  if (requestIds.length === 0) return;
  await db.query(`UPDATE signal SET unmet = false WHERE kind = 'REQUEST' AND unmet AND id = ANY ($1::bigint[])`, [
    requestIds,
  ]);
}

// ---- departments' figures

export interface DepartmentFigures {
  departmentId: string;
  received: number;
  acknowledged: number;
  acknowledgedOnTime: number;
  resolved: number;
  resolvedOnTime: number;
  overdue: number;
  medianAcknowledgeHours: number | null;
  medianResolveHours: number | null;
  ratings: number;
  badRatings: number;
  satisfactionRate: number | null;
  /** Bad ratings of the window whose rectification is unanswered past its deadline now. */
  rectificationsOverdue: number;
}

/**
 * Per department, for the cases routed to it that were opened in [from, to) and the ratings
 * given in [from, to): cases received, acknowledged and resolved (on time), overdue at `now`,
 * median hours, ratings, bad ones, satisfaction and rectifications late at `now`. Most received first.
 */
export async function departmentFigureRows(
  db: EntityManager,
  from: Date,
  to: Date,
  now: Date,
): Promise<DepartmentFigures[]> {
  return queryRows<DepartmentFigures>(
    db,
    `WITH cases AS (
       SELECT department_id,
              count(*)::int AS received,
              count(acknowledged_at)::int AS acknowledged,
              count(*) FILTER (WHERE acknowledged_at <= acknowledge_due)::int AS "acknowledgedOnTime",
              count(resolved_at)::int AS resolved,
              count(*) FILTER (WHERE resolved_at <= resolve_due)::int AS "resolvedOnTime",
              count(*) FILTER (WHERE (status = 'OPEN' AND acknowledge_due < $3)
                                  OR (status IN ('OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS') AND resolve_due < $3))::int AS overdue,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - opened_at) / 3600)
                FILTER (WHERE acknowledged_at IS NOT NULL) AS "medianAcknowledgeHours",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at) / 3600)
                FILTER (WHERE resolved_at IS NOT NULL) AS "medianResolveHours"
         FROM request_case
        WHERE department_id IS NOT NULL AND acknowledge_due IS NOT NULL AND opened_at >= $1 AND opened_at < $2
        GROUP BY department_id
     ), ratings AS (
       SELECT department_id, count(*)::int AS ratings,
              count(*) FILTER (WHERE level IN ('DISSATISFIED', 'VERY_DISSATISFIED'))::int AS "badRatings",
              count(*) FILTER (WHERE rectified_at IS NULL AND rectification_due < $3)::int AS "rectificationsOverdue"
         FROM satisfaction_rating
        WHERE department_id IS NOT NULL AND at >= $1 AND at < $2
        GROUP BY department_id
     )
     SELECT COALESCE(c.department_id, r.department_id) AS "departmentId",
            COALESCE(c.received, 0) AS received, COALESCE(c.acknowledged, 0) AS acknowledged,
            COALESCE(c."acknowledgedOnTime", 0) AS "acknowledgedOnTime", COALESCE(c.resolved, 0) AS resolved,
            COALESCE(c."resolvedOnTime", 0) AS "resolvedOnTime", COALESCE(c.overdue, 0) AS overdue,
            c."medianAcknowledgeHours"::float8 AS "medianAcknowledgeHours", c."medianResolveHours"::float8 AS "medianResolveHours",
            COALESCE(r.ratings, 0) AS ratings, COALESCE(r."badRatings", 0) AS "badRatings",
            CASE WHEN r.ratings > 0 THEN (r.ratings - r."badRatings")::float8 / r.ratings END AS "satisfactionRate",
            COALESCE(r."rectificationsOverdue", 0) AS "rectificationsOverdue"
       FROM cases c FULL JOIN ratings r ON r.department_id = c.department_id
      ORDER BY received DESC, "departmentId"`,
    [from.toISOString(), to.toISOString(), now.toISOString()],
  );
}
