import type { EntityManager } from 'typeorm';
import { DataLoader } from '../../core/dataloader';
import { groupByKeys, isUuid } from '../../db/sql';
import type { ServicePoint } from '../../geo/service-points';
import { pointFromRow } from './service-points.service';
import { pointsOfServices } from './service-points.queries';

/** The service points of each service, in one statement per batch. */
export function createServicePointsLoader(db: EntityManager) {
  return new DataLoader<string, ServicePoint[]>(async (serviceIds) => {
    const rows = await pointsOfServices(db, serviceIds.filter(isUuid));
    return groupByKeys(serviceIds, rows, (r) => r.serviceId).map((group) => group.map(pointFromRow));
  });
}
