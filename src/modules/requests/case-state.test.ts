import { CASE_TRANSITIONS, CaseStatus, nextCaseStatus, requireCaseMove, type CaseAction } from './case-state';

const ALL = Object.values(CaseStatus);
const ACTIONS = Object.keys(CASE_TRANSITIONS) as CaseAction[];

describe('request case state machine', () => {
  const expected: Record<CaseAction, Partial<Record<CaseStatus, CaseStatus>>> = {
    ACKNOWLEDGE: { OPEN: CaseStatus.ACKNOWLEDGED },
    START: { ACKNOWLEDGED: CaseStatus.IN_PROGRESS },
    RESOLVE: { ACKNOWLEDGED: CaseStatus.RESOLVED, IN_PROGRESS: CaseStatus.RESOLVED },
    CLOSE: { OPEN: CaseStatus.CLOSED, ACKNOWLEDGED: CaseStatus.CLOSED, IN_PROGRESS: CaseStatus.CLOSED },
    REASSIGN: { OPEN: CaseStatus.OPEN, ACKNOWLEDGED: CaseStatus.OPEN, IN_PROGRESS: CaseStatus.OPEN },
  };

  it.each(ACTIONS.flatMap((action) => ALL.map((state) => [action, state] as const)))('%s from %s', (action, state) => {
    const next = expected[action][state] ?? null;
    expect(nextCaseStatus(state, action)).toBe(next);
    if (next === null) {
      expect(() => requireCaseMove(state, action)).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONFLICT', status: state }) }),
      );
    } else {
      expect(requireCaseMove(state, action)).toBe(next);
    }
  });

  it('leaves RESOLVED and CLOSED final', () => {
    for (const action of ACTIONS) {
      expect(nextCaseStatus(CaseStatus.RESOLVED, action)).toBeNull();
      expect(nextCaseStatus(CaseStatus.CLOSED, action)).toBeNull();
    }
  });
});
