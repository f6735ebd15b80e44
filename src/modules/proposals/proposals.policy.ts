import { Role } from '../../core/auth';
import { definePolicy } from '../../core/policy';

/** STAFF read their department's proposals; these roles read all. */
export const READ_ALL_ROLES = [Role.REVIEWER, Role.PLANNER, Role.ADMIN] as const;
const READERS = [Role.STAFF, ...READ_ALL_ROLES] as const;
/** STAFF of the proposing department (the service checks the department). */
const PROPOSER = [Role.STAFF] as const;

/** Who may call each operation of the proposals module (resolver and service read this). */
export const proposalsPolicy = definePolicy('proposals', {
  proposals: READERS,
  proposal: READERS,
  createProposal: PROPOSER,
  updateProposal: PROPOSER,
  submitProposal: PROPOSER,
  withdrawProposal: PROPOSER,
  reviewProposal: [Role.REVIEWER],
});
