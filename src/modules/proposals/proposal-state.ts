import { registerEnumType } from 'type-graphql';

/** Where a proposal is in its review. */
export enum ProposalStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  CHANGES_REQUESTED = 'CHANGES_REQUESTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(ProposalStatus, { name: 'ProposalStatus' });

export enum ReviewDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  REQUEST_CHANGES = 'REQUEST_CHANGES',
}
registerEnumType(ReviewDecision, { name: 'ReviewDecision' });

/** Everything that can be done to a proposal once it exists. */
export type ProposalAction = 'UPDATE' | 'SUBMIT' | 'WITHDRAW' | `${ReviewDecision}`;

/**
 * The state machine, as a table: for each action, the states it may start from and where it
 * leads. UPDATE edits the content and keeps the state. Anything not listed is illegal.
 *
 *   DRAFT → SUBMITTED → (CHANGES_REQUESTED → SUBMITTED)* → APPROVED | REJECTED
 *   DRAFT | SUBMITTED | CHANGES_REQUESTED → WITHDRAWN
 */
export const TRANSITIONS: Readonly<
  Record<ProposalAction, ReadonlyArray<readonly [from: ProposalStatus, to: ProposalStatus]>>
> = {
  UPDATE: [
    [ProposalStatus.DRAFT, ProposalStatus.DRAFT],
    [ProposalStatus.CHANGES_REQUESTED, ProposalStatus.CHANGES_REQUESTED],
  ],
  SUBMIT: [
    [ProposalStatus.DRAFT, ProposalStatus.SUBMITTED],
    [ProposalStatus.CHANGES_REQUESTED, ProposalStatus.SUBMITTED],
  ],
  WITHDRAW: [
    [ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN],
    [ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN],
    [ProposalStatus.CHANGES_REQUESTED, ProposalStatus.WITHDRAWN],
  ],
  [ReviewDecision.APPROVE]: [[ProposalStatus.SUBMITTED, ProposalStatus.APPROVED]],
  [ReviewDecision.REJECT]: [[ProposalStatus.SUBMITTED, ProposalStatus.REJECTED]],
  [ReviewDecision.REQUEST_CHANGES]: [[ProposalStatus.SUBMITTED, ProposalStatus.CHANGES_REQUESTED]],
};

/** States in which nothing can happen any more. */
export const FINAL_STATES: ReadonlySet<ProposalStatus> = new Set([
  ProposalStatus.APPROVED,
  ProposalStatus.REJECTED,
  ProposalStatus.WITHDRAWN,
]);

/** The state `action` leads to from `current`, or null when the move is illegal. */
export function nextStatus(current: ProposalStatus, action: ProposalAction): ProposalStatus | null {
  return TRANSITIONS[action].find(([from]) => from === current)?.[1] ?? null;
}

/** The states `action` may start from. */
export function statesAllowing(action: ProposalAction): ProposalStatus[] {
  return TRANSITIONS[action].map(([from]) => from);
}

const VERBS: Record<ProposalAction, string> = {
  UPDATE: 'update',
  SUBMIT: 'submit',
  WITHDRAW: 'withdraw',
  APPROVE: 'approve',
  REJECT: 'reject',
  REQUEST_CHANGES: 'request changes to',
};

/** Why a move is illegal, naming the current state: the message of the CONFLICT error. */
export function illegalMoveMessage(current: ProposalStatus, action: ProposalAction): string {
  const allowed = statesAllowing(action).join(' or ');
  return `Cannot ${VERBS[action]} a proposal that is ${current} (only from ${allowed})`;
}

/** The audit action of a move, e.g. proposal.request_changes. */
export function auditActionOf(action: ProposalAction): string {
  return `proposal.${action.toLowerCase()}`;
}
