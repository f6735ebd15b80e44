import type { EntityManager } from 'typeorm';
import { queryPrepared } from '../db/sql';

/**
 * The readiness probe's statement. It goes the way the hot queries go (a named prepared
 * statement on a pooled connection), so that a connection on which those fail also fails the probe.
 */
export async function pingDatabase(db: EntityManager): Promise<void> {
  await queryPrepared(db, 'SELECT 1');
}
