import { DataLoader } from '../../graphql/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { byKeys, isUuid } from '../../db/sql';
import { Category } from './category.entity';

export function createCategoryLoader(db: EntityManager) {
  return new DataLoader<string, Category | undefined>(async (ids) =>
    byKeys(ids, await db.findBy(Category, { id: In(ids.filter(isUuid)) }), (c) => c.id),
  );
}
