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

/** The kinds of a rectification's answer deadline, once per rating and kind (`notification_rectification_once`). */
export const RECTIFICATION_DEADLINE_KINDS = ['rating.rectification_near', 'rating.rectification_overdue'] as const;

interface DueRectification {
  ratingId: string;
  departmentId: string;
  requestId: string | null;
  serviceId: string | null;
  kind: (typeof RECTIFICATION_DEADLINE_KINDS)[number];
  due: Date;
}

/** Unanswered rectifications whose deadline is near or passed and whose department has not had that notice. */
const DUE_RECTIFICATIONS = `
  WITH due AS (
    SELECT r.id, r.department_id, r.case_id, r.service_id, r.rectification_due AS due,
           'rating.rectification_' || CASE WHEN r.rectification_due <= $1::timestamptz THEN 'overdue' ELSE 'near' END AS kind
      FROM satisfaction_rating r
     WHERE r.rectification_due IS NOT NULL AND r.rectified_at IS NULL AND r.department_id IS NOT NULL
       AND r.rectification_due <= $1::timestamptz + make_interval(hours => $2::int))
  SELECT id::text AS "ratingId", department_id AS "departmentId", case_id::text AS "requestId",
         service_id AS "serviceId", kind, due FROM due
   WHERE NOT EXISTS (SELECT 1 FROM notification n WHERE n.rating_id = due.id AND n.kind = due.kind)
   ORDER BY due, id LIMIT ${DEADLINE_NOTICE_BATCH}`;

export function rectificationMessage(kind: DueRectification['kind'], ratingId: string, due: Date): string {
  const when = cityTimeText(due);
  return kind === 'rating.rectification_overdue'
    ? `差评 ${ratingId} 已超过整改答复期限（${when}），请尽快答复`
    : `差评 ${ratingId} 的整改答复期限（${when}）即将到期`;
}

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
 * together), of case deadlines and of rectification answers: one run of the job, in one transaction under its advisory lock (another process
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
      const ratings = await queryRows<DueRectification>(manager, DUE_RECTIFICATIONS, [at.toISOString(), nearHours]);
      for (const r of ratings) {
        notices.push({
          departmentId: r.departmentId,
          kind: r.kind,
          requestId: r.requestId,
          serviceId: r.serviceId,
          ratingId: r.ratingId,
          message: rectificationMessage(r.kind, r.ratingId, new Date(r.due)),
        });
      }
      return notify(manager, notices);
    },
    // A full batch of either kind of deadline: run again at once.
    more: (written) => written >= DEADLINE_NOTICE_BATCH,
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
