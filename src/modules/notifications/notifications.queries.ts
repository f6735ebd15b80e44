import type { EntityManager } from 'typeorm';
import { queryPrepared, queryRows } from '../../db/sql';
import { PG_CHANNEL, type LiveNotification } from './live-notifications';
import type { Notification } from './notification.entity';
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription } from './webhooks.types';

/** The SQL of notifications: the notices and their outbox, the webhook subscriptions and their deliveries. */

// ---- notifications and the outbox

export interface NewNotification {
  citizenId?: string | null;
  departmentId?: string | null;
  kind: string;
  requestId?: string | null;
  /** The service it is about (a new service meeting a need). */
  serviceId?: string | null;
  /** The satisfaction rating it is about (a rectification to answer). */
  ratingId?: string | null;
  message: string;
}

/**
 * The CTEs `written` and `queued`, which insert the notifications of the FROM item `notices`
 * (columns citizen_id, department_id, kind, request_id, service_id, message, rating_id) with
 * their outbox rows; a notice a unique index refuses (a second need-met notice for a request, a
 * second deadline notice) is skipped with its outbox row. The outbox row names the department
 * it concerns: the recipient department, else the department holding the request.
 */
export const insertNotificationsFrom = (notices: string) => `written AS (
       INSERT INTO notification (citizen_id, department_id, kind, request_id, service_id, message, rating_id)
       SELECT citizen_id, department_id, kind, request_id, service_id, message, rating_id FROM ${notices}
       ON CONFLICT DO NOTHING
       RETURNING id, citizen_id, department_id, kind, request_id, message),
     queued AS (
       INSERT INTO notification_outbox (event_id, notification_id, citizen_id, department_id, concerns_department_id,
                                        kind, request_id, message)
       SELECT gen_random_uuid(), w.id, w.citizen_id, w.department_id,
              COALESCE(w.department_id, (SELECT rc.department_id FROM request_case rc WHERE rc.signal_id = w.request_id)),
              w.kind, w.request_id, w.message
         FROM written w
       RETURNING 1)`;

/** Inserts notifications with their outbox rows, in one statement (`insertNotificationsFrom`). How many were written. */
export async function insertNotifications(db: EntityManager, notices: NewNotification[]): Promise<number> {
  const rows = await queryPrepared<{ written: number }>(
    db,
    `WITH ${insertNotificationsFrom(
      `unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::bigint[], $5::uuid[], $6::text[], $7::bigint[])
         AS n(citizen_id, department_id, kind, request_id, service_id, message, rating_id)`,
    )}
     SELECT count(*)::int AS written FROM queued`,
    [
      notices.map((n) => n.citizenId ?? null),
      notices.map((n) => n.departmentId ?? null),
      notices.map((n) => n.kind),
      notices.map((n) => n.requestId ?? null),
      notices.map((n) => n.serviceId ?? null),
      notices.map((n) => n.message),
      notices.map((n) => n.ratingId ?? null),
    ],
  );
  return rows[0]?.written ?? 0;
}

/** Whose notifications: a citizen's, or a department's. */
export interface Recipient {
  column: 'citizen_id' | 'department_id';
  id: string;
}

const COLUMNS = `id::text AS id, kind, request_id::text AS "requestId", service_id AS "serviceId",
  rating_id::text AS "ratingId", message, created_at AS "createdAt", read_at AS "readAt"`;

/** A page of a recipient's notifications (unread ones only, when asked), newest first: `limit` + 1 rows at most. */
export async function recipientNotifications(
  db: EntityManager,
  to: Recipient,
  page: { unreadOnly: boolean; offset: number; limit: number },
): Promise<(Notification & { totalCount: number })[]> {
  return queryRows<Notification & { totalCount: number }>(
    db,
    `SELECT ${COLUMNS}, count(*) OVER ()::int AS "totalCount" FROM notification
      WHERE ${to.column} = $1 ${page.unreadOnly ? 'AND read_at IS NULL' : ''}
      ORDER BY notification.id DESC LIMIT ${page.limit + 1} OFFSET ${page.offset}`,
    [to.id],
  );
}

/** Marks a recipient's unread notifications read (the given ids, or all); how many changed. */
export async function markRead(db: EntityManager, to: Recipient, ids: string[] | null): Promise<number> {
  const [{ count }] = await queryRows<{ count: number }>(
    db,
    `WITH changed AS (UPDATE notification SET read_at = now()
         WHERE ${to.column} = $1 AND read_at IS NULL ${ids ? 'AND id = ANY ($2::bigint[])' : ''} RETURNING 1)
       SELECT count(*)::int AS count FROM changed`,
    ids ? [to.id, ids] : [to.id],
  );
  return count;
}

/** Claims up to `batch` undispatched outbox rows, oldest first, skipping rows another transaction holds; their ids. */
export async function claimOutbox(db: EntityManager, batch: number): Promise<string[]> {
  const claimed = await queryRows<{ id: string }>(
    db,
    `SELECT id::text AS id FROM notification_outbox WHERE dispatched_at IS NULL
        ORDER BY notification_outbox.id LIMIT ${batch} FOR UPDATE SKIP LOCKED`,
  );
  return claimed.map((row) => row.id);
}

/**
 * Queues a delivery per (active subscription, outbox row) it concerns: subscriptions of every
 * department get all, a department's get the rows concerning it; once per subscription and
 * event (a unique constraint). The payload is what the receiver gets (docs/notifications.md).
 * How many were queued.
 */
export async function queueWebhookDeliveries(db: EntityManager, outboxIds: string[]): Promise<number> {
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

export async function markOutboxDispatched(db: EntityManager, outboxIds: string[]): Promise<void> {
  await db.query('UPDATE notification_outbox SET dispatched_at = now() WHERE id = ANY ($1::bigint[])', [outboxIds]);
}

/** Announces outbox rows to every process listening on PG_CHANNEL (delivered at commit). */
export async function announceOutbox(db: EntityManager, outboxIds: string[]): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [PG_CHANNEL, outboxIds.join(',')]);
}

const NOTIFICATION_COLUMNS = `n.id::text AS id, n.citizen_id AS "citizenId", n.department_id AS "departmentId", n.kind,
  n.request_id::text AS "requestId", n.service_id AS "serviceId", n.rating_id::text AS "ratingId", n.message,
  n.created_at AS "createdAt", n.read_at AS "readAt"`;

/** The notifications of outbox rows, in outbox order. */
export function loadLiveNotifications(db: EntityManager, outboxIds: string[]): Promise<LiveNotification[]> {
  return queryRows<LiveNotification>(
    db,
    `SELECT ${NOTIFICATION_COLUMNS} FROM notification_outbox o JOIN notification n ON n.id = o.notification_id
      WHERE o.id = ANY ($1::bigint[]) ORDER BY o.id`,
    [outboxIds],
  );
}

/** Deletes a statement's worth `sql` (a DELETE … RETURNING 1 of rows older than $1); how many. */
async function deleteBatch(db: EntityManager, sql: string, before: Date): Promise<number> {
  const [{ deleted }] = await queryRows<{ deleted: number }>(
    db,
    `WITH gone AS (${sql}) SELECT count(*)::int AS deleted FROM gone`,
    [before.toISOString()],
  );
  return deleted;
}

/** Deletes up to `batch` outbox rows dispatched before `before`, oldest first; how many. */
export function deleteDispatchedOutbox(db: EntityManager, before: Date, batch: number): Promise<number> {
  return deleteBatch(
    db,
    `DELETE FROM notification_outbox WHERE id IN (
       SELECT id FROM notification_outbox WHERE dispatched_at < $1::timestamptz ORDER BY id LIMIT ${batch})
     RETURNING 1`,
    before,
  );
}

/** Deletes up to `batch` finished (not PENDING) webhook deliveries created before `before`, oldest first; how many. */
export function deleteFinishedDeliveries(db: EntityManager, before: Date, batch: number): Promise<number> {
  return deleteBatch(
    db,
    `DELETE FROM webhook_delivery WHERE id IN (
       SELECT id FROM webhook_delivery WHERE status <> 'PENDING' AND created_at < $1::timestamptz
        ORDER BY id LIMIT ${batch})
     RETURNING 1`,
    before,
  );
}

// ---- webhooks

const SUBSCRIPTION_COLUMNS = `id, url, department_id AS "departmentId", active, created_at AS "createdAt"`;

export async function insertWebhook(
  db: EntityManager,
  webhook: { id: string; url: string; secret: string; departmentId: string | null; createdBy: string },
): Promise<WebhookSubscription> {
  const [created] = await queryRows<WebhookSubscription>(
    db,
    `INSERT INTO webhook_subscription (id, url, secret, department_id, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${SUBSCRIPTION_COLUMNS}`,
    [webhook.id, webhook.url, webhook.secret, webhook.departmentId, webhook.createdBy],
  );
  return created;
}

/** Deactivates a webhook; its row, none when there is no such webhook. */
export async function deactivateWebhookRow(db: EntityManager, id: string): Promise<WebhookSubscription | undefined> {
  const [changed] = await queryRows<WebhookSubscription>(
    db,
    `UPDATE webhook_subscription SET active = false WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
    [id],
  );
  return changed;
}

/** Every webhook, oldest first. */
export async function webhookSubscriptions(db: EntityManager): Promise<WebhookSubscription[]> {
  return queryRows<WebhookSubscription>(
    db,
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription ORDER BY created_at, id`,
  );
}

/** A page of the delivery log (of a webhook, in a status, each when given), newest first: `limit` + 1 rows at most. */
export async function webhookDeliveriesPage(
  db: EntityManager,
  filter: { webhookId: string | null; status: WebhookDeliveryStatus | null },
  offset: number,
  limit: number,
): Promise<(WebhookDelivery & { totalCount: number })[]> {
  return queryRows<WebhookDelivery & { totalCount: number }>(
    db,
    `SELECT id::text AS id, subscription_id AS "webhookId", event_id AS "eventId", kind, status::text AS status, attempts,
            CASE WHEN status = 'PENDING' THEN next_attempt_at END AS "nextAttemptAt", last_status_code AS "lastStatusCode",
            last_error AS "lastError", created_at AS "createdAt", delivered_at AS "deliveredAt",
            count(*) OVER ()::int AS "totalCount"
       FROM webhook_delivery
      WHERE ($1::uuid IS NULL OR subscription_id = $1) AND ($2::text IS NULL OR status::text = $2)
      ORDER BY webhook_delivery.id DESC LIMIT ${limit + 1} OFFSET ${offset}`,
    [filter.webhookId, filter.status],
  );
}

/** A delivery claimed for an attempt, with where and how to sign it. */
export interface DueDelivery {
  id: string;
  eventId: string;
  kind: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Claims up to `batch` due PENDING deliveries (`FOR UPDATE SKIP LOCKED`, the longest due
 * first): counts the attempt and leases each for `leaseSeconds` (its next attempt is then).
 */
export async function claimDueDeliveries(
  db: EntityManager,
  leaseSeconds: number,
  batch: number,
): Promise<DueDelivery[]> {
  return queryRows<DueDelivery>(
    db,
    `WITH claimed AS (
      UPDATE webhook_delivery d
        SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
       FROM webhook_subscription w
      WHERE w.id = d.subscription_id AND d.id IN (
        SELECT id FROM webhook_delivery WHERE status = 'PENDING' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)
      RETURNING d.id::text AS id, d.event_id AS "eventId", d.kind, d.payload, d.attempts, w.url, w.secret)
     SELECT * FROM claimed`,
    [leaseSeconds],
  );
}

export async function markDelivered(db: EntityManager, deliveryId: string, statusCode: number | null): Promise<void> {
  await db.query(
    `UPDATE webhook_delivery SET status = 'DELIVERED', delivered_at = now(), last_status_code = $2, last_error = NULL
        WHERE id = $1`,
    [deliveryId, statusCode],
  );
}

/** Records a failed attempt: PENDING again after `retrySeconds`, or FAILED for good. */
export async function recordFailedAttempt(
  db: EntityManager,
  deliveryId: string,
  attempt: { failed: boolean; statusCode: number | null; error: string | null; retrySeconds: number },
): Promise<void> {
  await db.query(
    `UPDATE webhook_delivery
        SET status = $2::webhook_delivery_status, last_status_code = $3, last_error = $4,
            next_attempt_at = now() + make_interval(secs => $5)
      WHERE id = $1`,
    [deliveryId, attempt.failed ? 'FAILED' : 'PENDING', attempt.statusCode, attempt.error, attempt.retrySeconds],
  );
}
