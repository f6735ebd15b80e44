import { MAX_TEXT_LENGTH } from '../../core/limits';
import type { FieldError } from '../../core/errors';
import { fieldErrorsSync } from '../../core/validation';
import type { SignalInput } from './signal.inputs';

/**
 * The checks SignalInput's class-validator decorators make, for batches of up to 500: each
 * field is passed here when class-validator would surely pass it, and a signal with any field
 * in doubt is checked by class-validator itself, which names the faults. Narrower than the
 * decorators, never wider: UUIDs as validator.js's `all` pattern, without its nil and max
 * UUIDs; lengths counted in UTF-16 units, and strings with surrogates or variation selectors
 * (which validator.js counts otherwise) left to class-validator. signal-input-check.test.ts
 * holds the list of decorators this mirrors.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const COUNTED_OTHERWISE = /[\uD800-\uDFFF\uFE0E\uFE0F]/;

const absent = (value: unknown): value is null | undefined => value === null || value === undefined;

const surelyOfLength = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'string' && value.length >= min && value.length <= max && !COUNTED_OTHERWISE.test(value);

/** Whether class-validator surely finds nothing wrong with `input` (false: it may). */
export function surelyValidSignalInput(input: SignalInput): boolean {
  const { serviceId, categoryCode, districtCode, text, rating, clientEventId } = input;
  return (
    (absent(serviceId) || (typeof serviceId === 'string' && UUID.test(serviceId))) &&
    (absent(categoryCode) || surelyOfLength(categoryCode, 1, 64)) &&
    (absent(districtCode) || surelyOfLength(districtCode, 1, 6)) &&
    // At most this many UTF-16 units is at most this many characters as validator.js counts them.
    (absent(text) || (typeof text === 'string' && text.length <= MAX_TEXT_LENGTH)) &&
    (absent(rating) || (typeof rating === 'number' && rating >= 1 && rating <= 5)) &&
    (absent(clientEventId) || surelyOfLength(clientEventId, 1, 128))
  );
}

/** A signal's faults as class-validator names them (fieldErrorsSync), asking it only when in doubt. */
export function signalInputErrors(input: SignalInput, path: string): FieldError[] {
  return surelyValidSignalInput(input) ? [] : fieldErrorsSync(input, path);
}
