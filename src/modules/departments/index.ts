import type { EntityManager } from 'typeorm';
import { defineModule } from '../../core/module';
import { DepartmentResolver } from './department.resolver';
import { Department } from './department.entity';
import { createDepartmentLoader, createDepartmentByCodeLoader } from './department.loader';

/** The departments module: what it declares of itself (composed in src/modules/index.ts). */
export const departmentsModule = defineModule({
  name: 'departments',
  entities: [Department],
  resolvers: [DepartmentResolver],
  createLoaders: (db) => ({
    department: createDepartmentLoader(db),
    departmentByCode: createDepartmentByCodeLoader(db),
  }),
});

/** Whether `id` names a department (a token's `dept`: src/core/authenticate.ts). */
export async function isDepartment(db: EntityManager, id: string): Promise<boolean> {
  return Boolean(await createDepartmentLoader(db).load(id));
}
