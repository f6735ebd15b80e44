import type { EntityManager } from 'typeorm';
import { queryRows } from '../db/sql';

/**
 * The SQL of the jobs' advisory locks. The request kernel imports no module, so its
 * statements stand here rather than in a module's query file.
 */

/** Takes the transaction-level advisory lock of one bigint key, unless another session holds it. */
export async function tryAdvisoryXactLock(db: EntityManager, key: number): Promise<boolean> {
  const [{ locked }] = await queryRows<{ locked: boolean }>(db, 'SELECT pg_try_advisory_xact_lock($1) AS locked', [
    key,
  ]);
  return locked;
}

/** Takes the transaction-level advisory lock of a class and a key (the two-int form), unless another session holds it. */
export async function tryAdvisoryXactLockPair(db: EntityManager, classKey: number, key: number): Promise<boolean> {
  const [{ locked }] = await queryRows<{ locked: boolean }>(
    db,
    'SELECT pg_try_advisory_xact_lock($1::int, $2::int) AS locked',
    [classKey, key],
  );
  return locked;
}

/** Takes the session-level advisory lock `key` on the connection of `db`, unless another session holds it. */
export async function tryAdvisorySessionLock(db: EntityManager, key: number): Promise<boolean> {
  const [{ locked }] = await queryRows<{ locked: boolean }>(db, 'SELECT pg_try_advisory_lock($1) AS locked', [key]);
  return locked;
}

/** Releases the session-level advisory lock `key` that the connection of `db` holds. */
export async function advisorySessionUnlock(db: EntityManager, key: number): Promise<void> {
  await queryRows(db, 'SELECT pg_advisory_unlock($1)', [key]);
}
