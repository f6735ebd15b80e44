import type { EntityManager } from 'typeorm';
import { createReferenceLoader } from '../../db/reference-cache';
import { Category } from './category.entity';

export function createCategoryLoader(db: EntityManager) {
  return createReferenceLoader(db, Category, { column: 'id', of: (c) => c.id });
}
