import { registerEnumType } from 'type-graphql';
import { ConflictError } from '../../core/errors';

/** Where a citizen's request or complaint is in its handling. */
export enum CaseStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  IN_PROGRESS = 'IN_PROGRESS',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
}
registerEnumType(CaseStatus, { name: 'RequestStatus' });

/** What a department can do with a case; NOTE is not a move (notes are allowed in every state). */
export type CaseAction = 'ACKNOWLEDGE' | 'START' | 'RESOLVE' | 'CLOSE' | 'REASSIGN';

/**
 *   OPEN → ACKNOWLEDGED → IN_PROGRESS → RESOLVED
 *   ACKNOWLEDGED → RESOLVED (answered at once)
 *   OPEN | ACKNOWLEDGED | IN_PROGRESS → CLOSED (with a reason)
 *   OPEN | ACKNOWLEDGED | IN_PROGRESS → OPEN (reassigned: the new department acknowledges again)
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseAction, ReadonlyArray<readonly [CaseStatus, CaseStatus]>>> = {
  ACKNOWLEDGE: [[CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED]],
  START: [[CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS]],
  RESOLVE: [
    [CaseStatus.ACKNOWLEDGED, CaseStatus.RESOLVED],
    [CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED],
  ],
  CLOSE: [
    [CaseStatus.OPEN, CaseStatus.CLOSED],
    [CaseStatus.ACKNOWLEDGED, CaseStatus.CLOSED],
    [CaseStatus.IN_PROGRESS, CaseStatus.CLOSED],
  ],
  REASSIGN: [
    [CaseStatus.OPEN, CaseStatus.OPEN],
    [CaseStatus.ACKNOWLEDGED, CaseStatus.OPEN],
    [CaseStatus.IN_PROGRESS, CaseStatus.OPEN],
  ],
};

/** States still waiting for the department. */
export const ACTIVE_STATES: readonly CaseStatus[] = [CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS];

export function nextCaseStatus(current: CaseStatus, action: CaseAction): CaseStatus | null {
  return CASE_TRANSITIONS[action].find(([from]) => from === current)?.[1] ?? null;
}

/** The next state, or a CONFLICT naming the current state and the states the move needs. */
export function requireCaseMove(current: CaseStatus, action: CaseAction): CaseStatus {
  const next = nextCaseStatus(current, action);
  if (next === null) {
    const from = CASE_TRANSITIONS[action].map(([state]) => state).join(', ');
    throw new ConflictError(`Cannot ${action.toLowerCase()} a request that is ${current} (only from ${from})`, {
      status: current,
    });
  }
  return next;
}
