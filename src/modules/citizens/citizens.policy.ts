import { Role } from '../../core/auth';
import { definePolicy } from '../../core/policy';

/** Who may call each operation of the citizens module (resolver and service read this). */
export const citizensPolicy = definePolicy('citizens', {
  citizen: [Role.CITIZEN, Role.ADMIN],
  updateMyProfile: [Role.CITIZEN],
});
