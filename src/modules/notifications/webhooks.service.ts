import { randomUUID } from 'node:crypto';
import { isUuid, queryRows } from '../../db/sql';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, NotFoundError } from '../../core/errors';
import { recordAudit } from '../audit/audit.service';
import { notificationsPolicy } from './notifications.policy';
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookInput, WebhookSubscription } from './webhooks.types';

const SUBSCRIPTION_COLUMNS = `id, url, department_id AS "departmentId", active, created_at AS "createdAt"`;

function checkWebhookInput(input: WebhookInput): void {
  let url: URL | null = null;
  try {
    url = new URL(input.url);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || input.url.length > 2000) {
    throw BadInputError.field('input.url', 'isUrl', 'url must be an http or https URL of at most 2,000 characters');
  }
  if (input.secret.length < 16 || input.secret.length > 200) {
    throw BadInputError.field('input.secret', 'length', 'secret must be 16 to 200 characters');
  }
  if (input.departmentId != null && !isUuid(input.departmentId)) {
    throw BadInputError.field('input.departmentId', 'isUuid', 'departmentId must be a department id');
  }
}

/** ADMIN: a URL to receive signed events (of one department, or all). */
export async function registerWebhook(ctx: Context, input: WebhookInput): Promise<WebhookSubscription> {
  const user = requireRole(ctx, ...notificationsPolicy.registerWebhook);
  checkWebhookInput(input);
  if (input.departmentId != null && !(await ctx.loaders.department.load(input.departmentId))) {
    throw new NotFoundError('Department', input.departmentId, 'input.departmentId');
  }
  return inTransaction(ctx, async (tx) => {
    const [created] = await queryRows<WebhookSubscription>(
      tx.db,
      `INSERT INTO webhook_subscription (id, url, secret, department_id, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [randomUUID(), input.url, input.secret, input.departmentId ?? null, user.id],
    );
    await recordAudit(tx, {
      action: 'webhook.register',
      targetType: 'webhook',
      targetId: created.id,
      details: { url: created.url, departmentId: created.departmentId },
    });
    return created;
  });
}

/** ADMIN: stops sending to a webhook (deliveries already queued are still attempted). */
export async function deactivateWebhook(ctx: Context, id: string): Promise<WebhookSubscription> {
  requireRole(ctx, ...notificationsPolicy.deactivateWebhook);
  if (!isUuid(id)) throw new NotFoundError('WebhookSubscription', id, 'id');
  return inTransaction(ctx, async (tx) => {
    const [changed] = await queryRows<WebhookSubscription>(
      tx.db,
      `UPDATE webhook_subscription SET active = false WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [id],
    );
    if (!changed) throw new NotFoundError('WebhookSubscription', id, 'id');
    await recordAudit(tx, { action: 'webhook.deactivate', targetType: 'webhook', targetId: id, details: {} });
    return changed;
  });
}

export async function listWebhooks(ctx: Context): Promise<WebhookSubscription[]> {
  requireRole(ctx, ...notificationsPolicy.webhooks);
  return queryRows<WebhookSubscription>(
    ctx.db,
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription ORDER BY created_at, id`,
  );
}

/** ADMIN: the delivery log, newest first. */
export async function listWebhookDeliveries(
  ctx: Context,
  args: { webhookId?: string | null; status?: WebhookDeliveryStatus | null; limit: number; offset: number },
) {
  requireRole(ctx, ...notificationsPolicy.webhookDeliveries);
  if (args.webhookId != null && !isUuid(args.webhookId)) {
    throw BadInputError.field('webhookId', 'isUuid', 'webhookId must be a webhook id');
  }
  const rows = await queryRows<WebhookDelivery & { totalCount: number }>(
    ctx.db,
    `SELECT id::text AS id, subscription_id AS "webhookId", event_id AS "eventId", kind, status::text AS status, attempts,
            CASE WHEN status = 'PENDING' THEN next_attempt_at END AS "nextAttemptAt", last_status_code AS "lastStatusCode",
            last_error AS "lastError", created_at AS "createdAt", delivered_at AS "deliveredAt",
            count(*) OVER ()::int AS "totalCount"
       FROM webhook_delivery
      WHERE ($1::uuid IS NULL OR subscription_id = $1) AND ($2::text IS NULL OR status::text = $2)
      ORDER BY id DESC LIMIT ${args.limit + 1} OFFSET ${args.offset}`,
    [args.webhookId ?? null, args.status ?? null],
  );
  return {
    nodes: rows.slice(0, args.limit),
    hasNextPage: rows.length > args.limit,
    totalCount: rows[0]?.totalCount ?? 0,
  };
}
