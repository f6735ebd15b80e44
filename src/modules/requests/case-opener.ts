import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import { notify } from '../notifications/notifications.service';
import { caseDeadlines, routeCase, serviceLevelFor, serviceLevels } from './routing';

interface SignalFacts {
  id: string;
  kind: 'REQUEST' | 'COMPLAINT';
  unmet: boolean | null;
  openedAt: Date;
  serviceDepartmentId: string | null;
  closestDepartmentId: string | null;
  categoryCode: string | null;
  parentCategoryCode: string | null;
  defaultDepartmentId: string | null;
}

/**
 * Opens a case for each REQUEST and COMPLAINT signal among `signalIds`, in the caller's
 * transaction (the one that inserted the signals): a met request is RESOLVED by the
 * services offered; an unmet request or a complaint is OPEN, routed, with its deadlines.
 */
export async function openCasesForSignals(db: EntityManager, signalIds: string[]): Promise<void> {
  if (signalIds.length === 0) return;
  const facts = await queryRows<SignalFacts>(
    db,
    `SELECT s.id::text AS id, s.kind::text AS kind, s.unmet, s.received_at AS "openedAt",
            sv.department_id AS "serviceDepartmentId", ms.department_id AS "closestDepartmentId",
            c.code AS "categoryCode", p.code AS "parentCategoryCode",
            (SELECT id FROM department WHERE code = $2) AS "defaultDepartmentId"
       FROM signal s
       LEFT JOIN service sv ON sv.id = s.service_id
       LEFT JOIN service ms ON ms.id = s.matched_service_id
       LEFT JOIN category c ON c.id = COALESCE(sv.category_id, s.category_id, ms.category_id)
       LEFT JOIN category p ON p.id = c.parent_id
      WHERE s.id = ANY ($1::bigint[]) AND s.kind IN ('REQUEST', 'COMPLAINT')`,
    [signalIds, serviceLevels.defaultDepartment],
  );
  if (facts.length === 0) return;
  const rows = facts.map((f) => {
    const unmet = f.kind === 'COMPLAINT' || f.unmet !== false;
    const departmentId = routeCase({ ...f, unmet }, f.defaultDepartmentId);
    const due = unmet
      ? caseDeadlines(new Date(f.openedAt), serviceLevelFor([f.categoryCode, f.parentCategoryCode]))
      : null;
    return { id: f.id, status: unmet ? 'OPEN' : 'RESOLVED', departmentId, due };
  });
  await db.query(
    `INSERT INTO request_case (signal_id, citizen_id, kind, service_id, status, department_id, district_code, opened_at,
                               acknowledge_due, resolve_due, resolved_at, updated_at)
     SELECT s.id, s.citizen_id, s.kind::text::request_case_kind, s.service_id, r.status::request_case_status,
            r.department_id, s.district_code, s.received_at, r.acknowledge_due, r.resolve_due,
            CASE WHEN r.status = 'RESOLVED' THEN s.received_at END, s.received_at
       FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::timestamptz[], $5::timestamptz[])
            AS r(signal_id, status, department_id, acknowledge_due, resolve_due)
       JOIN signal s ON s.id = r.signal_id
     ON CONFLICT (signal_id) DO NOTHING`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.status),
      rows.map((r) => r.departmentId),
      rows.map((r) => r.due?.acknowledgeDue.toISOString() ?? null),
      rows.map((r) => r.due?.resolveDue.toISOString() ?? null),
    ],
  );
  await notify(
    db,
    rows.flatMap((r) =>
      r.due && r.departmentId
        ? [
            {
              departmentId: r.departmentId,
              kind: 'request.routed',
              requestId: r.id,
              message: '收到一件新的诉求，请在期限内签收',
            },
          ]
        : [],
    ),
  );
}

/** The services a request was answered with, kept for the citizen's list. */
export async function recordOfferedServices(db: EntityManager, signalId: string, serviceIds: string[]): Promise<void> {
  await db.query('UPDATE request_case SET offered_service_ids = $2::uuid[] WHERE signal_id = $1', [
    signalId,
    serviceIds,
  ]);
}
