import { requireUser, type Context } from '../../core/context';
import { ConflictError } from '../../core/errors';
import { queryRows } from '../../db/sql';
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
  const params = [caller, once.key];
  await tx.db.query(
    `DELETE FROM idempotency_key WHERE caller_id = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`,
    [...params, IDEMPOTENCY_KEY_HOURS],
  );
  const claimed = await queryRows(
    tx.db,
    `INSERT INTO idempotency_key (caller_id, key, operation, fingerprint) VALUES ($1, $2, $3, $4)
     ON CONFLICT (caller_id, key) DO NOTHING RETURNING key`,
    [...params, once.operation, fingerprint],
  );
  if (claimed.length === 0) {
    const [first] = await queryRows<{ fingerprint: string; outcome: O | null }>(
      tx.db,
      `SELECT fingerprint, outcome FROM idempotency_key WHERE caller_id = $1 AND key = $2`,
      params,
    );
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
  await tx.db.query(`UPDATE idempotency_key SET outcome = $3 WHERE caller_id = $1 AND key = $2`, [
    ...params,
    JSON.stringify(outcome),
  ]);
  await tx.db.query(
    `DELETE FROM idempotency_key WHERE ctid IN (
       SELECT ctid FROM idempotency_key WHERE created_at < now() - make_interval(hours => $1) LIMIT ${PURGE_BATCH}
       FOR UPDATE SKIP LOCKED)`,
    [IDEMPOTENCY_KEY_HOURS],
  );
  return result;
}
