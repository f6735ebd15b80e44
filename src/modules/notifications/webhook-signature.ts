import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-minsheng-signature';
export const TIMESTAMP_HEADER = 'x-minsheng-timestamp';
export const EVENT_ID_HEADER = 'x-minsheng-event-id';
export const EVENT_TYPE_HEADER = 'x-minsheng-event-type';

/** `v1=` and the hex HMAC-SHA256, under the subscription's secret, of `<timestamp>.<body>` (timestamp in Unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The receiver's check (docs/notifications.md has the same recipe): the signature matches the
 * raw body and timestamp, compared in constant time, and the timestamp is within `toleranceSeconds`
 * of now (a replayed old request fails).
 */
export function verifyWebhook(args: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): boolean {
  const {
    secret,
    body,
    timestamp,
    signature,
    toleranceSeconds = 300,
    nowSeconds = Math.floor(Date.now() / 1000),
  } = args;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The wait before attempt `attempt + 1` after `attempt` failed: base × 2^(attempt − 1), at most an hour. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempt - 1));
}
