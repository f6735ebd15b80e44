import { Role } from '../../core/auth';
import { definePolicy } from '../../core/policy';

/** Who may call each operation of the matching module (resolver and service read this). */
export const matchingPolicy = definePolicy('matching', {
  recommendedServices: [Role.CITIZEN, Role.PLANNER, Role.ADMIN],
  submitRequest: [Role.CITIZEN],
  rankingModels: [Role.PLANNER, Role.ADMIN],
  activateRankingModel: [Role.ADMIN],
});
