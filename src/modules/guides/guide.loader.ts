import type { EntityManager } from 'typeorm';
import { DataLoader } from '../../core/dataloader';
import { byKeys, isUuid, queryPrepared } from '../../db/sql';
import { parseGuide, toServiceGuide } from './guide';
import type { GuideData } from './guide';
import type { ServiceGuide } from './guide.types';

/** The guide of each service, in one statement per batch. */
export function createServiceGuideLoader(db: EntityManager) {
  return new DataLoader<string, ServiceGuide | null>(async (serviceIds) => {
    const rows = await queryPrepared<{ service_id: string; guide: GuideData | string }>(
      db,
      'SELECT service_id, guide FROM service_guide WHERE service_id = ANY($1::uuid[])',
      [serviceIds.filter(isUuid)],
    );
    return byKeys(serviceIds, rows, (r) => r.service_id).map((r) => (r ? toServiceGuide(parseGuide(r.guide)!) : null));
  });
}
