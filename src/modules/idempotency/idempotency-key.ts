import { createHash } from 'node:crypto';
import { Arg } from 'type-graphql';
import { BadInputError } from '../../core/errors';

/** How long a key is kept: a retry within this answers with the first outcome. */
export const IDEMPOTENCY_KEY_HOURS = 24;

/** The optional `idempotencyKey` argument of a mutation that stores its outcome once. */
export const IdempotencyKeyArg = () =>
  Arg('idempotencyKey', () => String, {
    nullable: true,
    description:
      'A key of the caller (or the Idempotency-Key header): a retry with it answers with the first outcome ' +
      `and stores nothing twice; kept ${IDEMPOTENCY_KEY_HOURS} h.`,
  });

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The caller's idempotency key, from the `Idempotency-Key` header or the mutation's
 * `idempotencyKey` argument (both may be given when they agree); null when neither is.
 */
export function idempotencyKeyOf(header: string | undefined, argument: string | null | undefined): string | null {
  if (header !== undefined && argument != null && header !== argument) {
    const message = 'idempotencyKey and the Idempotency-Key header differ';
    throw BadInputError.field('idempotencyKey', 'matchesHeader', message);
  }
  const key = argument ?? header;
  if (key === undefined || key === null) return null;
  if (!KEY.test(key)) {
    const message = 'idempotencyKey must be 1 to 255 printable ASCII characters without spaces';
    throw BadInputError.field('idempotencyKey', 'isIdempotencyKey', message);
  }
  return key;
}

/** JSON with object keys sorted, so that equal inputs give equal text whatever their key order. */
function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What a key was first used for: the operation and its input (absent and null fields alike). */
export function requestFingerprint(operation: string, input: unknown): string {
  const withoutNulls = JSON.parse(JSON.stringify(input ?? null, (_k, v: unknown) => (v === null ? undefined : v)));
  return createHash('sha256')
    .update(`${operation}\n${canonicalJson(withoutNulls)}`)
    .digest('hex');
}
