import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DataSource } from 'typeorm';
import { guardedLookup, refusedHost, RefusedDestinationError, type ResolvedAddress } from './webhook-address';
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
  /** How hosts are resolved (dns.lookup by default). */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
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
  const url = new URL(delivery.url);
  const refused = refusedHost(url, settings.allowPrivateAddresses);
  if (refused) return { ok: false, statusCode: null, error: `not sent: the host is a ${refused} address` };
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Minsheng-Webhooks/1',
    [EVENT_ID_HEADER]: delivery.eventId,
    [EVENT_TYPE_HEADER]: delivery.kind,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhook(delivery.secret, timestamp, body),
  };
  const signal = AbortSignal.timeout(settings.timeoutMs);
  try {
    const statusCode = await postOnce(url, headers, body, {
      signal,
      lookup: guardedLookup(settings.allowPrivateAddresses, settings.resolve),
    });
    const ok = statusCode >= 200 && statusCode < 300;
    return { ok, statusCode, error: ok ? null : `HTTP ${statusCode}` };
  } catch (error) {
    if (error instanceof RefusedDestinationError)
      return { ok: false, statusCode: null, error: `not sent: ${error.message}` };
    return {
      ok: false,
      statusCode: null,
      error: signal.aborted ? 'timed out' : String((error as Error).message).slice(0, 500),
    };
  }
}

/**
 * One POST (redirects not followed), its status once the headers arrive; the response body is
 * discarded. Connections go through `lookup`, which checks each address they are made to.
 */
function postOnce(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { signal: AbortSignal; lookup: ReturnType<typeof guardedLookup> },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        signal: options.signal,
        lookup: options.lookup as never,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
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
