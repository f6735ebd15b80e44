import { randomUUID } from 'node:crypto';
import { isUuid } from '../../db/sql';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, NotFoundError } from '../../core/errors';
import { recordAudit } from '../audit/audit.service';
import { notificationsPolicy } from './notifications.policy';
import {
  deactivateWebhookRow,
  insertWebhook,
  webhookDeliveriesPage,
  webhookSubscriptions,
} from './notifications.queries';
import { refusedHost } from './webhook-address';
import type { WebhookDeliveryStatus, WebhookSubscription } from './webhooks.types';
import type { WebhookInput } from './webhooks.inputs';

function checkWebhookInput(input: WebhookInput, allowPrivateAddresses: boolean): void {
  let url: URL | null = null;
  try {
    url = new URL(input.url);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || input.url.length > 2000) {
    throw BadInputError.field('input.url', 'isUrl', 'url must be an http or https URL of at most 2,000 characters');
  }
  const refused = refusedHost(url, allowPrivateAddresses);
  if (refused) {
    throw BadInputError.field(
      'input.url',
      'publicAddress',
      `url must point to a public address, not a ${refused} one (WEBHOOK_ALLOW_PRIVATE_ADDRESSES allows it)`,
    );
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
  checkWebhookInput(input, ctx.config.webhookAllowPrivateAddresses);
  if (input.departmentId != null && !(await ctx.loaders.department.load(input.departmentId))) {
    throw new NotFoundError('Department', input.departmentId, 'input.departmentId');
  }
  return inTransaction(ctx, async (tx) => {
    const created = await insertWebhook(tx.db, {
      id: randomUUID(),
      url: input.url,
      secret: input.secret,
      departmentId: input.departmentId ?? null,
      createdBy: user.id,
    });
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
    const changed = await deactivateWebhookRow(tx.db, id);
    if (!changed) throw new NotFoundError('WebhookSubscription', id, 'id');
    await recordAudit(tx, { action: 'webhook.deactivate', targetType: 'webhook', targetId: id, details: {} });
    return changed;
  });
}

export async function listWebhooks(ctx: Context): Promise<WebhookSubscription[]> {
  requireRole(ctx, ...notificationsPolicy.webhooks);
  return webhookSubscriptions(ctx.db);
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
  const rows = await webhookDeliveriesPage(
    ctx.db,
    { webhookId: args.webhookId ?? null, status: args.status ?? null },
    args.offset,
    args.limit,
  );
  return {
    nodes: rows.slice(0, args.limit),
    hasNextPage: rows.length > args.limit,
    totalCount: rows[0]?.totalCount ?? 0,
  };
}
