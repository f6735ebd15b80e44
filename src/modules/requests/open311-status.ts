/** What the Open311 facade shows of a request's case: the workflow's status, notes, agency and times. */

export const CASE_COLUMNS = `rc.status::text AS "caseStatus", cd.name AS "caseDepartmentName",
  rc.acknowledge_due IS NOT NULL AS "caseRouted", rc.resolve_due AS "caseResolveDue", rc.opened_at AS "caseOpenedAt",
  rc.updated_at AS "caseUpdatedAt", rc.resolution AS "caseResolution", rc.close_reason AS "caseCloseReason",
  (SELECT n.text FROM request_note n WHERE n.case_id = rc.signal_id AND n.is_public ORDER BY n.at DESC, n.id DESC LIMIT 1)
    AS "caseLatestNote"`;

export const CASE_FROM = `LEFT JOIN request_case rc ON rc.signal_id = s.id LEFT JOIN department cd ON cd.id = rc.department_id`;

export interface CaseStatusRow {
  caseStatus: string | null;
  caseDepartmentName: string | null;
  caseRouted: boolean | null;
  caseResolveDue: Date | null;
  caseOpenedAt: Date | null;
  caseUpdatedAt: Date | null;
  caseResolution: string | null;
  caseCloseReason: string | null;
  caseLatestNote: string | null;
}

/** OPEN keeps the facade's own wording (where the request went). */
const STATUS_NOTES: Record<string, string> = {
  ACKNOWLEDGED: '部门已签收',
  IN_PROGRESS: '部门正在办理',
};

/**
 * Null for a request without a case (filed before cases existed) or one the catalogue
 * answered and nobody handled since: the facade's own wording stands for those.
 */
export function caseStatusFields(row: Partial<CaseStatusRow>, requested: string, format: (at: Date) => string) {
  if (!row.caseStatus || !row.caseRouted) return null;
  const closed = row.caseStatus === 'RESOLVED' || row.caseStatus === 'CLOSED';
  const changed = row.caseUpdatedAt && row.caseOpenedAt && new Date(row.caseUpdatedAt) > new Date(row.caseOpenedAt);
  return {
    status: closed ? ('closed' as const) : ('open' as const),
    statusNotes:
      row.caseResolution ?? row.caseCloseReason ?? row.caseLatestNote ?? STATUS_NOTES[row.caseStatus] ?? null,
    agencyResponsible: row.caseDepartmentName ?? undefined,
    expectedDatetime: row.caseResolveDue ? format(new Date(row.caseResolveDue)) : null,
    updatedDatetime: changed ? format(new Date(row.caseUpdatedAt!)) : requested,
  };
}
