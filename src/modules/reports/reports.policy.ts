import { Role } from '../../core/auth';
import { definePolicy } from '../../core/policy';

const READERS = [Role.PLANNER, Role.ADMIN, Role.STAFF] as const;

/** Who may call each operation of the reports module (resolver and service read this). */
export const reportsPolicy = definePolicy('reports', {
  catalogueReports: READERS,
  catalogueReport: READERS,
  generateCatalogueReport: [Role.PLANNER, Role.ADMIN],
});
