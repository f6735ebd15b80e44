import {
  addFinding,
  shownFinding,
  compareFindings,
  expandFinding,
  FindingChange,
  FindingKind,
  findingKey,
  improveFinding,
  isMergePair,
  mergeFinding,
  mergeGroups,
  priorityOf,
  promoteFinding,
  retireFinding,
  sortFindings,
  THRESHOLDS,
  type ServiceFacts,
} from './report-rules';

const service = (facts: Partial<ServiceFacts> = {}): ServiceFacts => ({
  id: 's1',
  title: '社会保障卡挂失与补换',
  departmentId: 'd1',
  districtCodes: [],
  publishedBeforePeriod: true,
  views: 0,
  uses: 0,
  complaints: 0,
  upvotes: 0,
  downvotes: 0,
  ratingCount: 0,
  ratingSum: 0,
  satisfactionRatings: 0,
  badSatisfactionRatings: 0,
  ...facts,
});
const name = (code: string) => `区${code}`;

describe('priorityOf', () => {
  it('grows with the evidence, saturates at the kind weight and orders kinds by weight', () => {
    expect(priorityOf(FindingKind.ADD_SERVICE, 0)).toBe(0);
    expect(priorityOf(FindingKind.ADD_SERVICE, 10)).toBeLessThan(priorityOf(FindingKind.ADD_SERVICE, 20));
    expect(priorityOf(FindingKind.ADD_SERVICE, 1e6)).toBe(100);
    expect(priorityOf(FindingKind.RETIRE_SERVICE, 1e6)).toBe(40);
    expect(priorityOf(FindingKind.IMPROVE_SERVICE, -5)).toBe(0);
  });
});

describe('improveFinding', () => {
  it('needs real use and a low vote score, a low rating or many complaints', () => {
    expect(improveFinding(service({ views: 20, upvotes: 10 }))).toBeNull();
    expect(improveFinding(service({ views: 5, downvotes: 10 }))).toBeNull(); // too little use
    const votes = improveFinding(service({ views: 8, uses: 4, upvotes: 1, downvotes: 5 }))!;
    expect(votes.kind).toBe(FindingKind.IMPROVE_SERVICE);
    expect(votes.rationale).toContain('6 票中只有 1 票赞成');
    expect(improveFinding(service({ views: 10, ratingCount: 3, ratingSum: 6 }))!.rationale).toContain('平均只有 2 星');
    expect(improveFinding(service({ views: 10, ratingCount: 2, ratingSum: 2 }))).toBeNull(); // too few ratings
    expect(improveFinding(service({ views: 20, complaints: 3 }))!.rationale).toContain('3 次投诉');
    expect(improveFinding(service({ views: 100, complaints: 3 }))).toBeNull(); // 3% of the activity
    expect(improveFinding(service({ views: 10, upvotes: 2, downvotes: 2 }))).toBeNull(); // 4 votes
  });

  it('counts many bad 好差评 as a reason, and as use of their own', () => {
    const rated = improveFinding(service({ views: 2, satisfactionRatings: 5, badSatisfactionRatings: 2 }))!;
    expect(rated.kind).toBe(FindingKind.IMPROVE_SERVICE);
    expect(rated.rationale).toContain('本期 5 个好差评中有 2 个差评');
    expect(rated.rationale).not.toContain('群众确实在用');
    expect(rated.metrics).toEqual(
      expect.arrayContaining([
        { name: 'satisfactionRatings', value: 5 },
        { name: 'badSatisfactionRatings', value: 2 },
      ]),
    );
    expect(improveFinding(service({ satisfactionRatings: 5, badSatisfactionRatings: 1 }))).toBeNull(); // 20% bad
    expect(improveFinding(service({ satisfactionRatings: 2, badSatisfactionRatings: 2 }))).toBeNull(); // too few
    const both = improveFinding(
      service({ views: 20, complaints: 3, satisfactionRatings: 3, badSatisfactionRatings: 3 }),
    )!;
    expect(both.rationale).toContain('3 次投诉');
    expect(both.priority).toBeGreaterThan(improveFinding(service({ views: 20, complaints: 3 }))!.priority);
  });
});

describe('retireFinding', () => {
  it('needs no activity, a low score and a service older than the period', () => {
    expect(retireFinding(service({ downvotes: 4 }))!.kind).toBe(FindingKind.RETIRE_SERVICE);
    expect(retireFinding(service())).toBeNull(); // no score is not a low score
    expect(retireFinding(service({ downvotes: 4, views: 1 }))).toBeNull();
    expect(retireFinding(service({ downvotes: 4, publishedBeforePeriod: false }))).toBeNull();
    expect(retireFinding(service({ ratingCount: 3, ratingSum: 3 }))).not.toBeNull();
    expect(retireFinding(service({ ratingCount: 3, ratingSum: 3, satisfactionRatings: 1 }))).toBeNull(); // rated: in use
  });
});

describe('promoteFinding', () => {
  it('needs good ratings or votes and little activity', () => {
    expect(promoteFinding(service({ ratingCount: 5, ratingSum: 25 }))!.kind).toBe(FindingKind.PROMOTE_SERVICE);
    expect(
      promoteFinding(service({ ratingCount: 5, ratingSum: 25, views: THRESHOLDS.promoteMaxActivity + 1 })),
    ).toBeNull();
    expect(promoteFinding(service({ ratingCount: 4, ratingSum: 20 }))).toBeNull();
    expect(promoteFinding(service({ ratingCount: 5, ratingSum: 20 }))).toBeNull(); // 4.0 stars
    expect(promoteFinding(service({ upvotes: 20 }))).not.toBeNull();
  });
});

describe('expandFinding', () => {
  const limited = service({ districtCodes: ['520121'] });
  it('counts only districts the service does not serve', () => {
    const outside = [
      { serviceId: 's1', districtCode: '520102', signals: 4, citizens: 2 },
      { serviceId: 's1', districtCode: '520103', signals: 2, citizens: 1 },
      { serviceId: 's1', districtCode: '520121', signals: 50, citizens: 20 },
      { serviceId: 's2', districtCode: '520102', signals: 50, citizens: 20 },
    ];
    const finding = expandFinding(limited, outside, name)!;
    expect(finding.districtCodes).toEqual(['520102', '520103']);
    expect(finding.metrics).toContainEqual({ name: 'outsideSignals', value: 6 });
    expect(expandFinding(limited, outside.slice(1), name)).toBeNull();
    expect(expandFinding(service(), outside, name)).toBeNull(); // serves every district
  });
});

describe('merge rules', () => {
  it('flags similar groups at the threshold, higher across departments', () => {
    const a = service({ id: 'a', departmentId: 'd1' });
    const b = service({ id: 'b', departmentId: 'd2', title: '社保卡补换' });
    const same = service({ id: 'b', departmentId: 'd1', title: '社保卡补换' });
    expect(isMergePair(a, b, THRESHOLDS.mergeMinSimilarity - 0.01)).toBe(false);
    expect(mergeFinding([a, b], THRESHOLDS.mergeMinSimilarity - 0.01, name)).toBeNull();
    const cross = mergeFinding([b, a], 0.8, name)!;
    expect(cross.serviceIds).toEqual(['a', 'b']);
    expect(cross.priority).toBeGreaterThan(mergeFinding([a, same], 0.8, name)!.priority);
    expect(mergeFinding([a, b, service({ id: 'c' })], 0.8, name)!.title).toContain('等 3 个相似事项');
  });

  it('leaves out regional variants: district-limited services with no district in common', () => {
    const north = service({ id: 'a', districtCodes: ['520102'] });
    const south = service({ id: 'b', districtCodes: ['520103'] });
    expect(isMergePair(north, south, 0.95)).toBe(false);
    expect(isMergePair(north, service({ id: 'b', districtCodes: ['520102', '520103'] }), 0.95)).toBe(true);
    expect(isMergePair(north, service({ id: 'b' }), 0.95)).toBe(true);
  });

  it('groups pairs into connected sets', () => {
    expect(
      mergeGroups([
        { a: 'c', b: 'a' },
        { a: 'x', b: 'y' },
        { a: 'b', b: 'c' },
      ]),
    ).toEqual([
      ['a', 'b', 'c'],
      ['x', 'y'],
    ]);
    expect(mergeGroups([])).toEqual([]);
  });
});

describe('addFinding', () => {
  const cluster = {
    id: 'c1',
    label: '婚礼摄影',
    requestCount: 6,
    citizenCount: 4,
    districtCodes: ['520102'],
    sampleRequests: ['婚礼摄影'],
  };
  it('needs enough requests from enough citizens', () => {
    expect(addFinding(cluster, ['民政局'], name)!.rationale).toContain('建议民政局');
    expect(addFinding({ ...cluster, requestCount: 4 }, [], name)).toBeNull();
    expect(addFinding({ ...cluster, citizenCount: 2 }, [], name)).toBeNull();
  });
});

describe('shownFinding', () => {
  it('redacts what a stored finding quotes of citizens, again', () => {
    // As a report stored under the old rule (7+ digit runs only) kept it.
    const stored = {
      key: 'ADD_SERVICE:c1',
      title: '新增服务：婚礼 · e12345678',
      rationale: '例如「婚礼摄影 电话138-1234-5678 微信zhangsan_88」。建议民政局研究新增相应服务。',
      cluster: {
        label: '婚礼 · e12345678',
        keywords: ['e12345678', '婚礼'],
        sampleRequests: ['婚礼摄影 电话138-1234-5678 微信zhangsan_88'],
      },
    };
    const shown = shownFinding(stored);
    expect(shown).toEqual({
      key: 'ADD_SERVICE:c1',
      title: '新增服务：婚礼 · [证件号]',
      rationale: '例如「婚礼摄影 电话[电话] 微信[账号]」。建议民政局研究新增相应服务。',
      cluster: {
        label: '婚礼 · [证件号]',
        keywords: ['[证件号]', '婚礼'],
        sampleRequests: ['婚礼摄影 电话[电话] 微信[账号]'],
      },
    });
    expect(shownFinding({ ...stored, cluster: null }).cluster).toBeNull();
  });
});

describe('compareFindings', () => {
  it('marks new and persisting findings and lists the resolved ones', () => {
    const f = (key: string, priority = 1) => ({ key, priority, kind: 'X' });
    const { findings, resolved } = compareFindings([f('a'), f('b')], [f('b'), f('c')]);
    expect(findings.map((x) => [x.key, x.change])).toEqual([
      ['a', FindingChange.NEW],
      ['b', FindingChange.PERSISTING],
    ]);
    expect(resolved.map((x) => [x.key, x.change])).toEqual([['c', FindingChange.RESOLVED]]);
    expect(compareFindings([f('a')], null).resolved).toEqual([]);
    expect(sortFindings([f('a', 1), f('b', 3), f('c', 3)]).map((x) => x.key)).toEqual(['b', 'c', 'a']);
  });

  it('keys findings by kind and services in any order, or by cluster', () => {
    expect(findingKey(FindingKind.MERGE_SERVICES, ['b', 'a'])).toBe(findingKey(FindingKind.MERGE_SERVICES, ['a', 'b']));
    expect(findingKey(FindingKind.ADD_SERVICE, [], 'c1')).toBe('ADD_SERVICE:c1');
  });
});
