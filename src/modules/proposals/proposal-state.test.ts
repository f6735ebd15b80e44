import {
  auditActionOf,
  FINAL_STATES,
  illegalMoveMessage,
  nextStatus,
  ProposalStatus as S,
  statesAllowing,
  type ProposalAction,
} from './proposal-state';

const ALL_STATES = Object.values(S);
const ALL_ACTIONS: ProposalAction[] = ['UPDATE', 'SUBMIT', 'WITHDRAW', 'APPROVE', 'REJECT', 'REQUEST_CHANGES'];

describe('proposal state machine', () => {
  // Every (state, action) pair: the legal ones and where they lead; everything else null.
  const legal: Record<string, S> = {
    'DRAFT UPDATE': S.DRAFT,
    'CHANGES_REQUESTED UPDATE': S.CHANGES_REQUESTED,
    'DRAFT SUBMIT': S.SUBMITTED,
    'CHANGES_REQUESTED SUBMIT': S.SUBMITTED,
    'DRAFT WITHDRAW': S.WITHDRAWN,
    'SUBMITTED WITHDRAW': S.WITHDRAWN,
    'CHANGES_REQUESTED WITHDRAW': S.WITHDRAWN,
    'SUBMITTED APPROVE': S.APPROVED,
    'SUBMITTED REJECT': S.REJECTED,
    'SUBMITTED REQUEST_CHANGES': S.CHANGES_REQUESTED,
  };

  it.each(ALL_STATES.flatMap((state) => ALL_ACTIONS.map((action) => [state, action] as const)))(
    '%s + %s',
    (state, action) => {
      expect(nextStatus(state, action)).toBe(legal[`${state} ${action}`] ?? null);
    },
  );

  it('has no way out of a final state', () => {
    for (const state of FINAL_STATES) for (const action of ALL_ACTIONS) expect(nextStatus(state, action)).toBeNull();
  });

  it('reaches every final state from DRAFT, and loops through CHANGES_REQUESTED', () => {
    const walk = (actions: ProposalAction[]) =>
      actions.reduce<S | null>((state, action) => (state === null ? null : nextStatus(state, action)), S.DRAFT);
    expect(walk(['SUBMIT', 'APPROVE'])).toBe(S.APPROVED);
    expect(walk(['SUBMIT', 'REJECT'])).toBe(S.REJECTED);
    expect(walk(['SUBMIT', 'REQUEST_CHANGES', 'UPDATE', 'SUBMIT', 'REQUEST_CHANGES', 'SUBMIT', 'APPROVE'])).toBe(
      S.APPROVED,
    );
    expect(walk(['WITHDRAW'])).toBe(S.WITHDRAWN);
    expect(walk(['SUBMIT', 'REQUEST_CHANGES', 'WITHDRAW'])).toBe(S.WITHDRAWN);
  });

  it('names the current state and the allowed ones when a move is illegal', () => {
    expect(illegalMoveMessage(S.APPROVED, 'WITHDRAW')).toBe(
      'Cannot withdraw a proposal that is APPROVED (only from DRAFT or SUBMITTED or CHANGES_REQUESTED)',
    );
    expect(statesAllowing('APPROVE')).toEqual([S.SUBMITTED]);
  });

  it('names the verb of every action in its refusal', () => {
    const verbs: Record<ProposalAction, string> = {
      UPDATE: 'update',
      SUBMIT: 'submit',
      WITHDRAW: 'withdraw',
      APPROVE: 'approve',
      REJECT: 'reject',
      REQUEST_CHANGES: 'request changes to',
    };
    for (const action of ALL_ACTIONS) {
      expect(illegalMoveMessage(S.REJECTED, action)).toBe(
        `Cannot ${verbs[action]} a proposal that is REJECTED (only from ${statesAllowing(action).join(' or ')})`,
      );
    }
    expect(statesAllowing('UPDATE')).toEqual([S.DRAFT, S.CHANGES_REQUESTED]);
  });

  it('has exactly three final states, and every other state has a way out', () => {
    expect([...FINAL_STATES].sort()).toEqual([S.APPROVED, S.REJECTED, S.WITHDRAWN].sort());
    for (const state of ALL_STATES.filter((s) => !FINAL_STATES.has(s))) {
      expect(ALL_ACTIONS.some((action) => nextStatus(state, action) !== null)).toBe(true);
    }
  });

  it('names audit actions after the move', () => {
    expect(auditActionOf('APPROVE')).toBe('proposal.approve');
    expect(auditActionOf('REQUEST_CHANGES')).toBe('proposal.request_changes');
    expect(auditActionOf('SUBMIT')).toBe('proposal.submit');
  });
});
