import type { EntityManager } from 'typeorm';
import { createReferenceLoader } from '../../db/reference-cache';
import { District } from './district.entity';

export function createDistrictLoader(db: EntityManager) {
  return createReferenceLoader(db, District, { column: 'code', of: (d) => d.code });
}
