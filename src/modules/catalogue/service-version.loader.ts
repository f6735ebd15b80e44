import { DataLoader } from '../../core/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { groupByKeys } from '../../db/sql';
import { ServiceVersion } from './service-version.entity';

/** Superseded versions of each service, newest first. */
export function createServiceVersionsLoader(db: EntityManager) {
  return new DataLoader<string, ServiceVersion[]>(async (serviceIds) => {
    const rows = await db.find(ServiceVersion, {
      where: { serviceId: In([...serviceIds]) },
      order: { version: 'DESC' },
    });
    return groupByKeys(serviceIds, rows, (r) => r.serviceId);
  });
}
