import { Role } from '../../core/auth';
import { definePolicy } from '../../core/policy';

/** STAFF of any department, PLANNER and ADMIN; the report job (SYSTEM) reads unmet demand too. */
const READERS = [Role.PLANNER, Role.ADMIN, Role.STAFF] as const;

/** Who may call each operation of the analytics module (resolver and service read this). */
export const analyticsPolicy = definePolicy('analytics', {
  demandTrends: READERS,
  unmetDemand: READERS,
});
