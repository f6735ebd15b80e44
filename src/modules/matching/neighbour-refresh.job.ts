import type { DataSource } from 'typeorm';
import { runJobOnce, type ScheduledJob } from '../../core/jobs';
import { refreshServiceNeighbours } from './aggregates';

/** Recomputes the item-to-item neighbours; one process at a time (its advisory lock, "msnb"). */
export const neighbourRefreshJob: ScheduledJob<number> = {
  name: 'neighbour-refresh',
  lockKey: 0x6d73_6e62,
  run: ({ manager }) => refreshServiceNeighbours(manager),
  done: { message: 'refreshed service neighbours', fields: (pairs) => ({ pairs }) },
  failure: { message: 'service neighbour refresh failed' },
};

/** Refreshes item-to-item neighbours now, unless another process is doing it (null then). */
export function refreshNeighboursOnce(dataSource: DataSource): Promise<number | null> {
  return runJobOnce(neighbourRefreshJob, dataSource);
}
