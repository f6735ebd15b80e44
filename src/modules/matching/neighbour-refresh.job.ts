import type { DataSource } from 'typeorm';
import { runJobOnce, type ScheduledJob } from '../../core/jobs';
import { refreshServiceNeighbours } from './aggregates';
import { citizenServiceRowsUpTo } from './aggregates.queries';

/**
 * A city whose neighbours come from fewer citizen × service rows than this is young: its
 * refresh is cheap, and its first weeks' co-use would otherwise wait NEIGHBOUR_REFRESH_MINUTES
 * to reach rankings, so it is refreshed every YOUNG_CITY_REFRESH_MS.
 */
const YOUNG_CITY_CITIZEN_SERVICES = 20_000;
const YOUNG_CITY_REFRESH_MS = 60_000;

export interface NeighbourRefresh {
  /** Neighbour pairs stored. */
  pairs: number;
  /** Whether the city is young (see YOUNG_CITY_CITIZEN_SERVICES). */
  young: boolean;
}

/** Recomputes the item-to-item neighbours; one process at a time (its advisory lock, "msnb"). */
export const neighbourRefreshJob: ScheduledJob<NeighbourRefresh> = {
  name: 'neighbour-refresh',
  lockKey: 0x6d73_6e62,
  run: async ({ manager }) => ({
    pairs: await refreshServiceNeighbours(manager),
    young: (await citizenServiceRowsUpTo(manager, YOUNG_CITY_CITIZEN_SERVICES)) < YOUNG_CITY_CITIZEN_SERVICES,
  }),
  nextRunMs: ({ young }) => (young ? YOUNG_CITY_REFRESH_MS : undefined),
  done: { message: 'refreshed service neighbours', fields: ({ pairs, young }) => ({ pairs, young }) },
  failure: { message: 'service neighbour refresh failed' },
};

/** Refreshes item-to-item neighbours now, unless another process is doing it (null then). */
export function refreshNeighboursOnce(dataSource: DataSource): Promise<NeighbourRefresh | null> {
  return runJobOnce(neighbourRefreshJob, dataSource);
}
