import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';

/** The SQL of idempotency keys (idempotency_key, primary key caller and key). */

/** Deletes the caller's key when it is older than `hours`. */
export async function deleteExpiredKey(db: EntityManager, callerId: string, key: string, hours: number): Promise<void> {
  await db.query(
    `DELETE FROM idempotency_key WHERE caller_id = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`,
    [callerId, key, hours],
  );
}

/**
 * Claims the caller's key for an operation: true when this call inserted it, false when it
 * exists (an insert of the same key in another open transaction is waited for).
 */
export async function claimKey(
  db: EntityManager,
  callerId: string,
  key: string,
  operation: string,
  fingerprint: string,
): Promise<boolean> {
  const claimed = await queryRows(
    db,
    `INSERT INTO idempotency_key (caller_id, key, operation, fingerprint) VALUES ($1, $2, $3, $4)
     ON CONFLICT (caller_id, key) DO NOTHING RETURNING key`,
    [callerId, key, operation, fingerprint],
  );
  return claimed.length > 0;
}

/** The fingerprint and stored outcome (null until the first call stores it) of the caller's key. */
export async function readKey<O>(
  db: EntityManager,
  callerId: string,
  key: string,
): Promise<{ fingerprint: string; outcome: O | null } | undefined> {
  const [first] = await queryRows<{ fingerprint: string; outcome: O | null }>(
    db,
    `SELECT fingerprint, outcome FROM idempotency_key WHERE caller_id = $1 AND key = $2`,
    [callerId, key],
  );
  return first;
}

/** Stores the outcome of the call that claimed the key (JSON text). */
export async function storeOutcome(
  db: EntityManager,
  callerId: string,
  key: string,
  outcomeJson: string,
): Promise<void> {
  await db.query(`UPDATE idempotency_key SET outcome = $3 WHERE caller_id = $1 AND key = $2`, [
    callerId,
    key,
    outcomeJson,
  ]);
}

/** Deletes at most `batch` keys of anyone older than `hours`, skipping those another transaction holds. */
export async function purgeExpiredKeys(db: EntityManager, hours: number, batch: number): Promise<void> {
  await db.query(
    `DELETE FROM idempotency_key WHERE ctid IN (
       SELECT ctid FROM idempotency_key WHERE created_at < now() - make_interval(hours => $1) LIMIT ${batch}
       FOR UPDATE SKIP LOCKED)`,
    [hours],
  );
}
