import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { RunningJob } from '../../core/module';
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
 * One run: in one transaction, under the job's advisory lock (another process holding it
 * makes this one skip), writes the due notices to the departments with `notify` (notification
 * and outbox row together). Returns how many were written (null: another process runs it).
 */
export async function writeDeadlineNotices(
  dataSource: DataSource,
  options: { now: Date; nearHours: number },
): Promise<number | null> {
  return dataSource.transaction(async (db) => {
    const [{ locked }] = await queryRows<{ locked: boolean }>(db, 'SELECT pg_try_advisory_xact_lock($1) AS locked', [
      DEADLINE_NOTICE_LOCK_KEY,
    ]);
    if (!locked) return null;
    const due = await queryRows<DueCase>(db, DUE_CASES, [options.now.toISOString(), options.nearHours]);
    const notices: NewNotification[] = due.map((c) => ({
      departmentId: c.departmentId,
      kind: c.kind,
      requestId: c.requestId,
      message: deadlineMessage(c.kind, c.requestId, new Date(c.due)),
    }));
    return notify(db, notices);
  });
}

/** Runs every `intervalMs` (at once again after a full batch); `clock` gives "now" (tests inject one). */
export function startDeadlineNotices(
  dataSource: DataSource,
  logger: Logger,
  settings: { intervalMs: number; nearHours: number; clock?: () => Date },
): RunningJob {
  const clock = settings.clock ?? (() => new Date());
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = writeDeadlineNotices(dataSource, { now: clock(), nearHours: settings.nearHours })
      .then((written) => written === DEADLINE_NOTICE_BATCH)
      .catch((error) => {
        logger.warn({ err: error }, 'deadline notices failed; retrying on the next run');
        return false;
      })
      .then((more) => {
        if (!stopped) timer = setTimeout(tick, more ? 0 : settings.intervalMs);
      });
  };
  timer = setTimeout(tick, settings.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
