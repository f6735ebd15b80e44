import type { EntityManager } from 'typeorm';
import { lockDerivedTables } from '../signals/signal-log';
import {
  clearAreaRollups,
  clearDemandRollups,
  clearSliceRollups,
  countAreaMembers,
  markRollupDaysRebuilt,
  refillAreaDaily,
  refillAreaMembers,
  refillAreaSpans,
  refillDemandDaily,
  refillDemandMembers,
  refillSliceRollups,
} from './rollups.queries';

export interface RebuiltRollups {
  /** Rows of demand_daily. */
  rollupRows: number;
  /** Rows of demand_daily_citizen. */
  memberRows: number;
  /** Rows of demand_area_citizen (weeks and months). */
  areaMemberRows: number;
}

/**
 * Recomputes the demand rollups from the signals below the rollup watermark (those the worker
 * has applied), under the worker's lock: what the worker adds later is counted once. Runs in
 * a transaction (a savepoint when `db` is already in one).
 */
export async function rebuildDemandRollups(db: EntityManager): Promise<RebuiltRollups> {
  return db.transaction(async (tx) => {
    await lockDerivedTables(tx);
    // Every day that had or will have rollups changes, on the rebuild shard (-1): trends
    // computed before are stale, and may not add to what they counted (members may go).
    await markRollupDaysRebuilt(tx);
    await clearDemandRollups(tx);
    const memberRows = await refillDemandMembers(tx);
    const rollupRows = await refillDemandDaily(tx);
    const areaMemberRows = await rebuildAreaRollups(tx);
    await clearSliceRollups(tx);
    await refillSliceRollups(tx);
    await markRollupDaysRebuilt(tx);
    return { rollupRows, memberRows, areaMemberRows };
  });
}

/** Refills the area rollups from the signal table (inside rebuildDemandRollups' lock); returns the member rows. */
async function rebuildAreaRollups(tx: EntityManager): Promise<number> {
  await clearAreaRollups(tx);
  await refillAreaDaily(tx);
  await refillAreaMembers(tx);
  await refillAreaSpans(tx);
  return countAreaMembers(tx);
}
