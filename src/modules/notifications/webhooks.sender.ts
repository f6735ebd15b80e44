import type { DataSource } from 'typeorm';
import { refusedDestination } from './webhook-address';
import { claimDueDeliveries, markDelivered, recordFailedAttempt, type DueDelivery } from './notifications.queries';
import {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  retryDelayMs,
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
} from './webhook-signature';

/** Deliveries attempted per round. */
export const WEBHOOK_BATCH = 20;

export interface WebhookSettings {
  retryBaseMs: number;
  maxAttempts: number;
  timeoutMs: number;
  allowPrivateAddresses: boolean;
}

interface Outcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

/**
 * One round of webhook sending. Claims due PENDING deliveries (`FOR UPDATE SKIP LOCKED`) by
 * counting the attempt and leasing them past the request's timeout, commits, then posts each
 * (signed) outside any transaction, and records the outcome: 2xx is DELIVERED; anything else
 * waits retryDelayMs (exponential backoff) before the next attempt, or is FAILED after
 * `maxAttempts`. A process that dies mid-send leaves the lease to expire and the delivery is
 * attempted again: at least once, the receiver de-duplicates by event id. Returns how many
 * were attempted.
 */
export async function sendDueWebhooks(dataSource: DataSource, settings: WebhookSettings): Promise<number> {
  const due = await claimDueDeliveries(dataSource.manager, (settings.timeoutMs + 30_000) / 1000, WEBHOOK_BATCH);
  await Promise.all(
    due.map(async (delivery) => record(dataSource, delivery, await post(delivery, settings), settings)),
  );
  return due.length;
}

async function post(delivery: DueDelivery, settings: WebhookSettings): Promise<Outcome> {
  const refused = await refusedDestination(new URL(delivery.url), settings.allowPrivateAddresses);
  if (refused) return { ok: false, statusCode: null, error: `not sent: the host is a ${refused} address` };
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Minsheng-Webhooks/1',
        [EVENT_ID_HEADER]: delivery.eventId,
        [EVENT_TYPE_HEADER]: delivery.kind,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(delivery.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    return {
      ok: false,
      statusCode: null,
      error: (error as Error).name === 'TimeoutError' ? 'timed out' : String((error as Error).message).slice(0, 500),
    };
  }
}

async function record(
  dataSource: DataSource,
  delivery: DueDelivery,
  outcome: Outcome,
  settings: WebhookSettings,
): Promise<void> {
  if (outcome.ok) {
    await markDelivered(dataSource.manager, delivery.id, outcome.statusCode);
    return;
  }
  const failed = delivery.attempts >= settings.maxAttempts;
  await recordFailedAttempt(dataSource.manager, delivery.id, {
    failed,
    statusCode: outcome.statusCode,
    error: outcome.error,
    retrySeconds: retryDelayMs(delivery.attempts, settings.retryBaseMs) / 1000,
  });
}
