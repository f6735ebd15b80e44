import { DataLoader } from '../../graphql/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { byKeys, isUuid } from '../../db/sql';
import { Department } from './department.entity';

export function createDepartmentLoader(db: EntityManager) {
  return new DataLoader<string, Department | undefined>(async (ids) =>
    byKeys(ids, await db.findBy(Department, { id: In(ids.filter(isUuid)) }), (d) => d.id),
  );
}
