import type { FieldError } from '../../core/errors';
import { SignalKind } from './signal-kind';
import { isBlankText } from '../../text';

export const MAX_SIGNAL_AGE_DAYS = 90;
/** Clocks of phones differ: an event up to this far in the future counts as now. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface SignalShape {
  kind: SignalKind;
  serviceId?: string | null;
  categoryCode?: string | null;
  text?: string | null;
  rating?: number | null;
  occurredAt?: Date | null;
}

/** What each kind of signal must carry, and when it may have happened. Pure: unit-tested. */
export function signalRuleErrors(signal: SignalShape, path: string, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, constraint: string, message: string) =>
    errors.push({ property: `${path}.${field}`, constraints: { [constraint]: message } });
  const hasText = !isBlankText(signal.text);

  switch (signal.kind) {
    case SignalKind.REQUEST:
    case SignalKind.SEARCH:
      if (!hasText) fail('text', 'required', `a ${signal.kind} signal needs text`);
      break;
    case SignalKind.VIEW:
    case SignalKind.USE:
      if (!signal.serviceId) fail('serviceId', 'required', `a ${signal.kind} signal needs serviceId`);
      break;
    case SignalKind.RATING:
      if (!signal.serviceId) fail('serviceId', 'required', 'a RATING signal needs serviceId');
      if (signal.rating == null) fail('rating', 'required', 'a RATING signal needs rating (1 to 5)');
      break;
    case SignalKind.COMPLAINT:
      if (!signal.serviceId && !hasText) fail('text', 'required', 'a COMPLAINT signal needs serviceId or text');
      break;
  }
  if (signal.rating != null && signal.kind !== SignalKind.RATING) {
    fail('rating', 'kind', 'rating is only for RATING signals');
  }
  if (signal.occurredAt) {
    const time = signal.occurredAt.getTime();
    if (Number.isNaN(time)) fail('occurredAt', 'date', 'occurredAt is not a valid time');
    else if (time > now.getTime() + CLOCK_SKEW_MS)
      fail('occurredAt', 'notFuture', 'occurredAt must not be in the future');
    else if (time < now.getTime() - MAX_SIGNAL_AGE_DAYS * 86_400_000) {
      fail('occurredAt', 'maxAge', `occurredAt must not be older than ${MAX_SIGNAL_AGE_DAYS} days`);
    }
  }
  return errors;
}
