import { Role } from '../../core/auth';
import { definePolicy } from '../../core/policy';

/** Who may call each operation of the votes module (resolver and service read this). */
export const votesPolicy = definePolicy('votes', {
  vote: [Role.CITIZEN],
  rateService: [Role.CITIZEN],
});
