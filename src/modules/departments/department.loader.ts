import { In } from 'typeorm';
import { DataLoader } from '../../core/dataloader';
import { byKeys } from '../../db/sql';
import type { EntityManager } from 'typeorm';
import { createReferenceLoader } from '../../db/reference-cache';
import { Department } from './department.entity';

export function createDepartmentLoader(db: EntityManager) {
  return createReferenceLoader(db, Department, { column: 'id', of: (d) => d.id });
}

/** Departments by code; not through the reference cache, whose copy of the table is keyed by id. */
export function createDepartmentByCodeLoader(db: EntityManager) {
  return new DataLoader<string, Department | undefined>(async (codes) =>
    byKeys(codes, await db.findBy(Department, { code: In([...codes]) }), (d) => d.code),
  );
}
