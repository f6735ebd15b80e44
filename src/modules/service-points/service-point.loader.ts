import type { EntityManager } from 'typeorm';
import { DataLoader } from '../../graphql/dataloader';
import { groupByKeys, isUuid } from '../../db/sql';
import { pointFromRow, pointsOfServices, toView } from './service-point.service';
import type { ServicePointView } from './service-point.types';

/** The service points of each service (open flags as of the request), in one statement per batch. */
export function createServicePointsLoader(db: EntityManager) {
  const now = new Date();
  return new DataLoader<string, ServicePointView[]>(async (serviceIds) => {
    const rows = await pointsOfServices(db, serviceIds.filter(isUuid));
    return groupByKeys(serviceIds, rows, (r) => r.serviceId).map((group) =>
      group.map((r) => toView(pointFromRow(r), now)),
    );
  });
}
