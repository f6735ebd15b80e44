import type { EntityManager } from 'typeorm';
import { createReferenceLoader } from '../../db/reference-cache';
import { Department } from './department.entity';

export function createDepartmentLoader(db: EntityManager) {
  return createReferenceLoader(db, Department, { column: 'id', of: (d) => d.id });
}
