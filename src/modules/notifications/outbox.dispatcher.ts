import type { DataSource, EntityManager } from 'typeorm';
import { withAdvisoryXactLock } from '../../core/jobs';
import { queryRows } from '../../db/sql';
import { PG_CHANNEL, type LiveNotification } from './live-notifications';

/** Outbox rows dispatched per transaction. */
export const OUTBOX_BATCH = 200;
/** Advisory lock key (pg_try_advisory_xact_lock) of the outbox dispatcher: one process dispatches at a time. */
export const OUTBOX_LOCK_KEY = 2_031_105;

export interface DispatchResult {
  /** Outbox rows dispatched. */
  dispatched: number;
  /** Webhook deliveries queued for them. */
  webhookDeliveries: number;
  /** The notifications to publish to this process's subscribers (after commit; empty when announced by NOTIFY). */
  live: LiveNotification[];
}

const NOTIFICATION_COLUMNS = `n.id::text AS id, n.citizen_id AS "citizenId", n.department_id AS "departmentId", n.kind,
  n.request_id::text AS "requestId", n.service_id AS "serviceId", n.rating_id::text AS "ratingId", n.message,
  n.created_at AS "createdAt", n.read_at AS "readAt"`;

/**
 * One dispatch: in one transaction, while holding the dispatcher's advisory lock (another
 * process holding it makes this one skip the round), claims up to OUTBOX_BATCH undispatched
 * outbox rows (`FOR UPDATE SKIP LOCKED`, oldest first), queues a webhook delivery for every
 * active subscription they concern (once per subscription and event: a unique constraint),
 * marks them dispatched and, with `announce`, announces them to every process by
 * NOTIFY (delivered at commit). A crash before commit leaves them undispatched, so the next
 * round (of any process) dispatches them: at least once.
 */
export async function dispatchOutbox(dataSource: DataSource, announce: boolean): Promise<DispatchResult> {
  const dispatched = await withAdvisoryXactLock(dataSource, OUTBOX_LOCK_KEY, async (db): Promise<DispatchResult> => {
    const claimed = await queryRows<{ id: string }>(
      db,
      `SELECT id::text AS id FROM notification_outbox WHERE dispatched_at IS NULL
        ORDER BY id LIMIT ${OUTBOX_BATCH} FOR UPDATE SKIP LOCKED`,
    );
    if (claimed.length === 0) return { dispatched: 0, webhookDeliveries: 0, live: [] };
    const ids = claimed.map((row) => row.id);
    const webhookDeliveries = await queueWebhookDeliveries(db, ids);
    await db.query('UPDATE notification_outbox SET dispatched_at = now() WHERE id = ANY ($1::bigint[])', [ids]);
    if (announce) {
      await db.query('SELECT pg_notify($1, $2)', [PG_CHANNEL, ids.join(',')]);
      return { dispatched: ids.length, webhookDeliveries, live: [] };
    }
    return { dispatched: ids.length, webhookDeliveries, live: await loadLiveNotifications(db, ids) };
  });
  return dispatched ?? { dispatched: 0, webhookDeliveries: 0, live: [] };
}

/** The notifications of outbox rows, in outbox order. */
export function loadLiveNotifications(db: EntityManager, outboxIds: string[]): Promise<LiveNotification[]> {
  return queryRows<LiveNotification>(
    db,
    `SELECT ${NOTIFICATION_COLUMNS} FROM notification_outbox o JOIN notification n ON n.id = o.notification_id
      WHERE o.id = ANY ($1::bigint[]) ORDER BY o.id`,
    [outboxIds],
  );
}

/**
 * A delivery per (active subscription, outbox row) it concerns: subscriptions of every
 * department get all, a department's get the rows concerning it. The payload is what the
 * receiver gets (docs/notifications.md).
 */
async function queueWebhookDeliveries(db: EntityManager, outboxIds: string[]): Promise<number> {
  const [{ queued }] = await queryRows<{ queued: number }>(
    db,
    `WITH queued AS (
       INSERT INTO webhook_delivery (subscription_id, event_id, kind, payload)
       SELECT w.id, o.event_id, o.kind,
              jsonb_build_object(
                'id', o.event_id, 'type', o.kind, 'createdAt', o.created_at,
                'data', jsonb_build_object(
                  'notificationId', o.notification_id::text, 'citizenId', o.citizen_id, 'departmentId', o.department_id,
                  'concernsDepartmentId', o.concerns_department_id, 'requestId', o.request_id::text,
                  'serviceId', n.service_id, 'ratingId', n.rating_id::text, 'message', o.message))
         FROM notification_outbox o
         JOIN notification n ON n.id = o.notification_id
         JOIN webhook_subscription w ON w.active AND (w.department_id IS NULL OR w.department_id = o.concerns_department_id)
        WHERE o.id = ANY ($1::bigint[])
       ON CONFLICT ON CONSTRAINT webhook_delivery_once DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS queued FROM queued`,
    [outboxIds],
  );
  return queued;
}

/** Rows deleted per statement when pruning. */
export const PRUNE_BATCH = 1_000;

export interface PruneResult {
  outboxRows: number;
  webhookDeliveries: number;
}

/**
 * Deletes what delivery no longer needs, older than `before`: dispatched outbox rows (by
 * `dispatched_at`) and finished webhook deliveries (DELIVERED or FAILED, by `created_at`), in
 * batches of PRUNE_BATCH, each its own short statement, oldest first. Undispatched rows and
 * PENDING deliveries are never deleted, whatever their age. The notifications themselves stay.
 */
export async function pruneDeliveredNotifications(dataSource: DataSource, before: Date): Promise<PruneResult> {
  const deleteBatch = async (sql: string): Promise<number> => {
    const [{ deleted }] = await queryRows<{ deleted: number }>(
      dataSource.manager,
      `WITH gone AS (${sql}) SELECT count(*)::int AS deleted FROM gone`,
      [before.toISOString()],
    );
    return deleted;
  };
  const drain = async (sql: string): Promise<number> => {
    let total = 0;
    for (;;) {
      const deleted = await deleteBatch(sql);
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  };
  const outboxRows = await drain(
    `DELETE FROM notification_outbox WHERE id IN (
       SELECT id FROM notification_outbox WHERE dispatched_at < $1::timestamptz ORDER BY id LIMIT ${PRUNE_BATCH})
     RETURNING 1`,
  );
  const webhookDeliveries = await drain(
    `DELETE FROM webhook_delivery WHERE id IN (
       SELECT id FROM webhook_delivery WHERE status <> 'PENDING' AND created_at < $1::timestamptz
        ORDER BY id LIMIT ${PRUNE_BATCH})
     RETURNING 1`,
  );
  return { outboxRows, webhookDeliveries };
}
