import type { EntityManager } from 'typeorm';
import { DataLoader } from '../../core/dataloader';
import { byKeys, isUuid } from '../../db/sql';
import { parseGuide, toServiceGuide } from './guide';
import type { ServiceGuide } from './guide.types';
import { serviceGuides } from './guides.queries';

/** The guide of each service, in one statement per batch. */
export function createServiceGuideLoader(db: EntityManager) {
  return new DataLoader<string, ServiceGuide | null>(async (serviceIds) => {
    const rows = await serviceGuides(db, serviceIds.filter(isUuid));
    return byKeys(serviceIds, rows, (r) => r.service_id).map((r) => (r ? toServiceGuide(parseGuide(r.guide)!) : null));
  });
}
