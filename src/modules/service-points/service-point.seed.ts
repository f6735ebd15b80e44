import type { EntityManager, QueryRunner } from 'typeorm';
import { cityServicePoints } from '../../geo/service-points';
import { insertServicePoints, linkServicePoints } from './service-points.queries';

type Runner = Pick<EntityManager | QueryRunner, 'query'>;

/**
 * Inserts the seeded service points (seeds/service-points/points.json) and links each to the
 * services it handles that exist. Idempotent: points and links already there are kept.
 */
export async function loadServicePoints(db: Runner): Promise<void> {
  const points = cityServicePoints();
  await insertServicePoints(db, points);
  const links = points.flatMap((p) => p.services.map((service) => ({ point: p.code, service })));
  await linkServicePoints(db, links);
}
