import type { DataSource } from 'typeorm';
import { runJobOnce, type ScheduledJob } from '../../core/jobs';
import { queryRows } from '../../db/sql';
import { notify, type NewNotification } from '../notifications/notifications.service';

/** Advisory lock key (pg_try_advisory_xact_lock) of the deadline-notice job: one process runs it at a time. */
export const DEADLINE_NOTICE_LOCK_KEY = 2_031_106;
/** Notices written per transaction; a full batch makes the job run again at once. */
export const DEADLINE_NOTICE_BATCH = 500;

/** The kinds, once per case, kind and department (the unique index `notification_deadline_once`). */
export const DEADLINE_KINDS = [
  'request.acknowledge_near',
  'request.acknowledge_overdue',
  'request.resolve_near',
  'request.resolve_overdue',
] as const;

interface DueCase {
  requestId: string;
  departmentId: string;
  kind: (typeof DEADLINE_KINDS)[number];
  due: Date;
}

/**
 * The deadlines of open cases that are near (within `nearHours` of `now`) or passed, and
 * whose department has not had that notice: acknowledging while OPEN, resolving while OPEN,
 * ACKNOWLEDGED or IN_PROGRESS. A passed deadline gives only the overdue notice.
 */
const DUE_CASES = `
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
   ORDER BY due, signal_id LIMIT ${DEADLINE_NOTICE_BATCH}`;

/** "12月5日 18:00" in city time. */
function cityTimeText(instant: Date): string {
  const city = new Date(instant.getTime() + 8 * 3600_000);
  const hh = String(city.getUTCHours()).padStart(2, '0');
  const mm = String(city.getUTCMinutes()).padStart(2, '0');
  return `${city.getUTCMonth() + 1}月${city.getUTCDate()}日 ${hh}:${mm}`;
}

export function deadlineMessage(kind: DueCase['kind'], requestId: string, due: Date): string {
  const what = kind.startsWith('request.acknowledge') ? '签收' : '办结';
  const when = cityTimeText(due);
  return kind.endsWith('_overdue')
    ? `诉求 ${requestId} 已超过${what}期限（${when}），请尽快处理`
    : `诉求 ${requestId} 的${what}期限（${when}）即将到期`;
}

/**
 * Writes the due notices to the departments with `notify` (notification and outbox row
 * together): one run of the job, in one transaction under its advisory lock (another process
 * holding it makes this one skip). Its result: how many were written; a full batch runs again at once.
 */
export function deadlineNoticeJob(nearHours: number): ScheduledJob<number> {
  return {
    name: 'deadline-notices',
    lockKey: DEADLINE_NOTICE_LOCK_KEY,
    run: async ({ at, manager }) => {
      const due = await queryRows<DueCase>(manager, DUE_CASES, [at.toISOString(), nearHours]);
      const notices: NewNotification[] = due.map((c) => ({
        departmentId: c.departmentId,
        kind: c.kind,
        requestId: c.requestId,
        message: deadlineMessage(c.kind, c.requestId, new Date(c.due)),
      }));
      return notify(manager, notices);
    },
    more: (written) => written === DEADLINE_NOTICE_BATCH,
    failure: { message: 'deadline notices failed; retrying on the next run', level: 'warn' },
  };
}

/** One run at `now`: how many notices were written (null: another process runs it). */
export function writeDeadlineNotices(
  dataSource: DataSource,
  options: { now: Date; nearHours: number },
): Promise<number | null> {
  return runJobOnce(deadlineNoticeJob(options.nearHours), dataSource, options.now);
}
