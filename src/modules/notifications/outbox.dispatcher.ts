import type { DataSource } from 'typeorm';
import { withAdvisoryXactLock } from '../../core/jobs';
import type { LiveNotification } from './live-notifications';
import {
  announceOutbox,
  claimOutbox,
  deleteDispatchedOutbox,
  deleteFinishedDeliveries,
  loadLiveNotifications,
  markOutboxDispatched,
  queueWebhookDeliveries,
} from './notifications.queries';

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
    const ids = await claimOutbox(db, OUTBOX_BATCH);
    if (ids.length === 0) return { dispatched: 0, webhookDeliveries: 0, live: [] };
    const webhookDeliveries = await queueWebhookDeliveries(db, ids);
    await markOutboxDispatched(db, ids);
    if (announce) {
      await announceOutbox(db, ids);
      return { dispatched: ids.length, webhookDeliveries, live: [] };
    }
    return { dispatched: ids.length, webhookDeliveries, live: await loadLiveNotifications(db, ids) };
  });
  return dispatched ?? { dispatched: 0, webhookDeliveries: 0, live: [] };
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
  const drain = async (deleteBatch: typeof deleteDispatchedOutbox): Promise<number> => {
    let total = 0;
    for (;;) {
      const deleted = await deleteBatch(dataSource.manager, before, PRUNE_BATCH);
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  };
  const outboxRows = await drain(deleteDispatchedOutbox);
  const webhookDeliveries = await drain(deleteFinishedDeliveries);
  return { outboxRows, webhookDeliveries };
}
