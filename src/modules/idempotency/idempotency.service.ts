import { requireUser, type Context } from '../../core/context';
import { ConflictError } from '../../core/errors';
import { claimKey, deleteExpiredKey, purgeExpiredKeys, readKey, storeOutcome } from './idempotency.queries';
import { IDEMPOTENCY_KEY_HOURS, requestFingerprint } from './idempotency-key';

/** Expired keys removed by each new key, so that the table stays bounded without a job. */
const PURGE_BATCH = 100;

export interface Once<T, O> {
  /** The caller's key (idempotencyKeyOf); null runs `work` with no key. */
  key: string | null;
  operation: string;
  /** The operation's input, as the caller sent it: a retry must send the same. */
  input: unknown;
  /** The write, in the transaction of `tx`: its result and what a retry needs to answer alike. */
  work: () => Promise<{ result: T; outcome: O }>;
  /** The answer to a retry, from the stored outcome. */
  replay: (outcome: O) => Promise<T>;
}

/**
 * Runs a mutation's write at most once per caller and key. Call inside the mutation's
 * transaction: the key is claimed by an INSERT on the table's primary key (caller, key), so a
 * second call with the key waits for the first's transaction and, once it committed, answers
 * with its outcome; when it rolled back, the second call claims the key and runs. The same key
 * with another operation or input is CONFLICT (reason IDEMPOTENCY_KEY_REUSED). Keys are kept
 * IDEMPOTENCY_KEY_HOURS.
 */
export async function runOnce<T, O>(tx: Context, once: Once<T, O>): Promise<T> {
  if (once.key === null) return (await once.work()).result;
  const caller = requireUser(tx).id;
  const fingerprint = requestFingerprint(once.operation, once.input);
  await deleteExpiredKey(tx.db, caller, once.key, IDEMPOTENCY_KEY_HOURS);
  if (!(await claimKey(tx.db, caller, once.key, once.operation, fingerprint))) {
    const first = await readKey<O>(tx.db, caller, once.key);
    if (!first || first.fingerprint !== fingerprint || first.outcome === null) {
      throw new ConflictError(
        `Idempotency key "${once.key}" was already used with a different input: send a new key for a new call, ` +
          'or the same input to get the first outcome',
        { reason: 'IDEMPOTENCY_KEY_REUSED', idempotencyKey: once.key },
      );
    }
    return once.replay(first.outcome);
  }
  const { result, outcome } = await once.work();
  await storeOutcome(tx.db, caller, once.key, JSON.stringify(outcome));
  await purgeExpiredKeys(tx.db, IDEMPOTENCY_KEY_HOURS, PURGE_BATCH);
  return result;
}
