import type { EntityManager } from 'typeorm';
import { queryPrepared } from '../../db/sql';
import type { GuideData } from './guide';

/** The SQL of the services' guides (written with a service's revision, by the catalogue's queries). */

/** A service's stored guide: JSON, or its text on drivers that return jsonb as a string. */
export interface ServiceGuideRow {
  service_id: string;
  guide: GuideData | string;
}

/** The guides of the given services (ids that are UUIDs); services without one have no row. */
export async function serviceGuides(db: EntityManager, serviceIds: string[]): Promise<ServiceGuideRow[]> {
  return queryPrepared<ServiceGuideRow>(
    db,
    'SELECT service_id, guide FROM service_guide WHERE service_id = ANY($1::uuid[])',
    [serviceIds],
  );
}
