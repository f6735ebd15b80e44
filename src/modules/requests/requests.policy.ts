import { Role } from '../../core/auth';
import { definePolicy } from '../../core/policy';

/** STAFF their department's; PLANNER and ADMIN any department's. */
const HANDLERS = [Role.STAFF, Role.PLANNER, Role.ADMIN] as const;
/** STAFF of the request's department (the service checks the department). */
const DEPARTMENT_STAFF = [Role.STAFF] as const;

/** Who may call each operation of the requests module (resolver and service read this). */
export const requestsPolicy = definePolicy('requests', {
  myRequests: [Role.CITIZEN],
  departmentInbox: HANDLERS,
  citizenRequest: [Role.CITIZEN, ...HANDLERS],
  acknowledgeRequest: DEPARTMENT_STAFF,
  startRequest: DEPARTMENT_STAFF,
  resolveRequest: DEPARTMENT_STAFF,
  closeRequest: DEPARTMENT_STAFF,
  reassignRequest: DEPARTMENT_STAFF,
  addRequestNote: DEPARTMENT_STAFF,
  departmentPerformance: [Role.PLANNER, Role.ADMIN],
  rateOutcome: [Role.CITIZEN],
  answerRectification: DEPARTMENT_STAFF,
  departmentRatings: HANDLERS,
});
