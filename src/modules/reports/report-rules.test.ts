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

// What officers read and exports carry, word for word and number by number: the priorities
// are worked out by hand from PRIORITY (100 × weight × (1 − e^(−evidence/scale))).
describe('findings in full', () => {
  it('improve: every reason found, the evidence weighing uses, half the views, complaints twice and down-votes', () => {
    // evidence 10 + 20/2 + 2 × 4 + 5 = 33: 90 × (1 − e^(−33/30)) = 60.0
    expect(
      improveFinding(
        service({ views: 20, uses: 10, complaints: 4, upvotes: 1, downvotes: 5, ratingCount: 4, ratingSum: 8 }),
      ),
    ).toEqual({
      kind: FindingKind.IMPROVE_SERVICE,
      priority: 60,
      title: '改进「社会保障卡挂失与补换」',
      rationale:
        '「社会保障卡挂失与补换」本期有 20 次浏览、10 次使用，群众确实在用，但6 票中只有 1 票赞成，4 个评分平均只有 2 星，本期收到 4 次投诉。建议主管部门查找办理中的堵点并改进。',
      serviceIds: ['s1'],
      districtCodes: [],
      metrics: [
        { name: 'views', value: 20 },
        { name: 'uses', value: 10 },
        { name: 'complaints', value: 4 },
        { name: 'upvotes', value: 1 },
        { name: 'downvotes', value: 5 },
        { name: 'voteScore', value: 0.03 },
        { name: 'ratingCount', value: 4 },
        { name: 'ratingAverage', value: 2 },
      ],
    });
  });

  it('improve on bad 好差评 alone: no claim of real use, the bad ones counted twice in the evidence', () => {
    // evidence 0 + 2/2 + 0 + 0 + 2 × 2 = 5: 90 × (1 − e^(−5/30)) = 13.8
    expect(improveFinding(service({ views: 2, satisfactionRatings: 5, badSatisfactionRatings: 2 }))).toEqual({
      kind: FindingKind.IMPROVE_SERVICE,
      priority: 13.8,
      title: '改进「社会保障卡挂失与补换」',
      rationale:
        '「社会保障卡挂失与补换」本期有 2 次浏览、0 次使用，但本期 5 个好差评中有 2 个差评。建议主管部门查找办理中的堵点并改进。',
      serviceIds: ['s1'],
      districtCodes: [],
      metrics: [
        { name: 'views', value: 2 },
        { name: 'uses', value: 0 },
        { name: 'complaints', value: 0 },
        { name: 'satisfactionRatings', value: 5 },
        { name: 'badSatisfactionRatings', value: 2 },
        { name: 'upvotes', value: 0 },
        { name: 'downvotes', value: 0 },
        { name: 'voteScore', value: 0 },
        { name: 'ratingCount', value: 0 },
      ],
    });
    // At the thresholds (3 ratings; 40% bad) is enough, under either is not.
    expect(improveFinding(service({ satisfactionRatings: 3, badSatisfactionRatings: 2 }))).not.toBeNull();
    expect(improveFinding(service({ satisfactionRatings: 10, badSatisfactionRatings: 4 }))).not.toBeNull();
    expect(improveFinding(service({ satisfactionRatings: 10, badSatisfactionRatings: 3 }))).toBeNull();
    // With real use as well, the claim of use comes back.
    expect(
      improveFinding(service({ views: 10, satisfactionRatings: 3, badSatisfactionRatings: 3 }))!.rationale,
    ).toContain('本期有 10 次浏览、0 次使用，群众确实在用，但本期 3 个好差评中有 3 个差评');
  });

  it('retire: low votes and a low rating, the evidence the down-votes and the ratings', () => {
    // evidence 4 + 3 = 7: 40 × (1 − e^(−0.7)) = 20.1
    expect(retireFinding(service({ downvotes: 4, ratingCount: 3, ratingSum: 5 }))).toEqual({
      kind: FindingKind.RETIRE_SERVICE,
      priority: 20.1,
      title: '考虑下线「社会保障卡挂失与补换」',
      rationale:
        '「社会保障卡挂失与补换」本期没有任何浏览和使用，4 票中只有 0 票赞成，平均评分 1.7 星。建议确认是否仍有必要保留，或与主管部门商议下线。',
      serviceIds: ['s1'],
      districtCodes: [],
      metrics: [
        { name: 'views', value: 0 },
        { name: 'uses', value: 0 },
        { name: 'complaints', value: 0 },
        { name: 'upvotes', value: 0 },
        { name: 'downvotes', value: 4 },
        { name: 'voteScore', value: 0 },
        { name: 'ratingCount', value: 3 },
        { name: 'ratingAverage', value: 1.67 },
      ],
    });
    // Votes alone: the down-votes are the evidence (40 × (1 − e^(−0.4)) = 13.2), no rating named.
    const votes = retireFinding(service({ upvotes: 1, downvotes: 4 }))!;
    expect([votes.priority, votes.rationale]).toEqual([
      13.2,
      '「社会保障卡挂失与补换」本期没有任何浏览和使用，5 票中只有 1 票赞成。建议确认是否仍有必要保留，或与主管部门商议下线。',
    ]);
    // A rating alone (evidence 3: 40 × (1 − e^(−0.3)) = 10.4), and no complaint either.
    const rated = retireFinding(service({ ratingCount: 3, ratingSum: 6 }))!;
    expect([rated.priority, rated.rationale]).toEqual([
      10.4,
      '「社会保障卡挂失与补换」本期没有任何浏览和使用，平均评分 2 星。建议确认是否仍有必要保留，或与主管部门商议下线。',
    ]);
    expect(retireFinding(service({ downvotes: 4, complaints: 1 }))).toBeNull();
    expect(retireFinding(service({ downvotes: 4, uses: 1 }))).toBeNull();
  });

  it('promote: praised by its ratings first, the evidence its ratings and up-votes', () => {
    // evidence 6 + 9 = 15: 50 × (1 − e^(−1.5)) = 38.8
    expect(promoteFinding(service({ views: 1, uses: 2, upvotes: 9, ratingCount: 6, ratingSum: 28 }))).toEqual({
      kind: FindingKind.PROMOTE_SERVICE,
      priority: 38.8,
      title: '推广「社会保障卡挂失与补换」',
      rationale:
        '「社会保障卡挂失与补换」口碑很好（6 个评分平均 4.7 星），但本期只有 3 次浏览和使用，知道的人太少。建议在首页、相关事项和窗口宣传中推荐。',
      serviceIds: ['s1'],
      districtCodes: [],
      metrics: [
        { name: 'views', value: 1 },
        { name: 'uses', value: 2 },
        { name: 'complaints', value: 0 },
        { name: 'upvotes', value: 9 },
        { name: 'downvotes', value: 0 },
        { name: 'voteScore', value: 0.701 },
        { name: 'ratingCount', value: 6 },
        { name: 'ratingAverage', value: 4.67 },
      ],
    });
    // Votes alone (Wilson lower bound of 10 up, 1 down 0.62): evidence the 10 up-votes (50 × (1 − e^(−1)) = 31.6).
    const voted = promoteFinding(service({ views: 3, upvotes: 10, downvotes: 1, ratingCount: 2, ratingSum: 10 }))!;
    expect([voted.priority, voted.rationale]).toEqual([
      31.6,
      '「社会保障卡挂失与补换」口碑很好（11 票中 10 票赞成），但本期只有 3 次浏览和使用，知道的人太少。建议在首页、相关事项和窗口宣传中推荐。',
    ]);
    // 9 up, 1 down is not clearly enough (lower bound 0.596), nor five 4.3-star ratings short of the mean.
    expect(promoteFinding(service({ upvotes: 9, downvotes: 1 }))).toBeNull();
    expect(promoteFinding(service({ ratingCount: 5, ratingSum: 21.5 }))).not.toBeNull();
    expect(promoteFinding(service({ ratingCount: 5, ratingSum: 21.4 }))).toBeNull();
  });

  it('expand: the districts it does not serve, most signals first, ties by code', () => {
    const outside = [
      { serviceId: 's1', districtCode: '520111', signals: 3, citizens: 1 },
      { serviceId: 's1', districtCode: '520103', signals: 3, citizens: 2 },
      { serviceId: 's1', districtCode: '520102', signals: 9, citizens: 9 },
      { serviceId: 's2', districtCode: '520103', signals: 9, citizens: 9 },
    ];
    // evidence 6 signals: 80 × (1 − e^(−0.3)) = 20.7
    expect(expandFinding(service({ districtCodes: ['520102'] }), outside, name)).toEqual({
      kind: FindingKind.EXPAND_DISTRICTS,
      priority: 20.7,
      title: '把「社会保障卡挂失与补换」扩大到更多区县',
      rationale:
        '「社会保障卡挂失与补换」只面向 区520102，但本期有 3 位其他区县的群众关注或使用了它：区520103（3 次）、区520111（3 次）。建议评估在这些区县开通。',
      serviceIds: ['s1'],
      districtCodes: ['520103', '520111'],
      metrics: [
        { name: 'outsideSignals', value: 6 },
        { name: 'outsideCitizens', value: 3 },
        { name: 'outsideDistricts', value: 2 },
      ],
    });
    const more = [
      { serviceId: 's1', districtCode: '520103', signals: 2, citizens: 2 },
      { serviceId: 's1', districtCode: '520111', signals: 4, citizens: 1 },
    ];
    expect(expandFinding(service({ districtCodes: ['520102'] }), more, name)!.districtCodes).toEqual([
      '520111',
      '520103',
    ]);
    // Exactly at the thresholds (5 signals, 3 citizens) is enough; one fewer of either is not.
    const at = [{ serviceId: 's1', districtCode: '520103', signals: 5, citizens: 3 }];
    expect(expandFinding(service({ districtCodes: ['520102'] }), at, name)).not.toBeNull();
    expect(expandFinding(service({ districtCodes: ['520102'] }), [{ ...at[0], signals: 4 }], name)).toBeNull();
    expect(expandFinding(service({ districtCodes: ['520102'] }), [{ ...at[0], citizens: 2 }], name)).toBeNull();
  });

  it('merge: across departments, the evidence the similarity above the floor and the uses', () => {
    const department = (id: string) => `部门${id}`;
    // evidence (0.8 − 0.79 + 0.1) × 10 + 50/50 = 2.1: 60 × (1 − e^(−2.1)) = 52.7
    expect(
      mergeFinding(
        [
          service({ id: 's2', title: 'B', departmentId: 'd2', uses: 10, views: 30 }),
          service({ id: 's1', title: 'A', uses: 40, views: 70 }),
        ],
        0.8,
        department,
      ),
    ).toEqual({
      kind: FindingKind.MERGE_SERVICES,
      priority: 52.7,
      title: '合并「A」与「B」',
      rationale:
        '「A」、「B」内容高度相似（相似度最高 0.8），分别由部门d1、部门d2提供。群众难以分辨该办哪一个，建议合并为一个事项，由牵头部门统一受理。',
      serviceIds: ['s1', 's2'],
      districtCodes: [],
      metrics: [
        { name: 'similarity', value: 0.8 },
        { name: 'crossDepartment', value: 1 },
        { name: 'services', value: 2 },
        { name: 'uses', value: 50 },
        { name: 'views', value: 100 },
      ],
    });
    // One department, three services: (0.9 − 0.79 + 0.1) × 5 + 10/50 = 1.25: 60 × (1 − e^(−1.25)) = 42.8
    const group = [
      service({ id: 's2', title: 'B', uses: 10 }),
      service({ id: 's1', title: 'A' }),
      service({ id: 's3', title: 'C' }),
    ];
    expect(mergeFinding(group, 0.9, department)).toMatchObject({
      priority: 42.8,
      title: '合并「A」等 3 个相似事项',
      rationale:
        '「A」、「B」、「C」内容高度相似（相似度最高 0.9），都由部门d1提供。群众难以分辨该办哪一个，建议合并为一个事项。',
      metrics: [
        { name: 'similarity', value: 0.9 },
        { name: 'crossDepartment', value: 0 },
        { name: 'services', value: 3 },
        { name: 'uses', value: 10 },
        { name: 'views', value: 0 },
      ],
    });
    // At the threshold is enough; a single service is no group.
    expect(mergeFinding(group, THRESHOLDS.mergeMinSimilarity, department)).not.toBeNull();
    expect(isMergePair(group[0], group[1], THRESHOLDS.mergeMinSimilarity)).toBe(true);
    expect(mergeFinding(group.slice(0, 1), 0.9, department)).toBeNull();
  });

  it('add: at most three districts named, the departments asked, a sample quoted', () => {
    const cluster = {
      id: 'c1',
      label: '老年助餐',
      requestCount: 8,
      citizenCount: 5,
      districtCodes: ['520102', '520103', '520111', '520112'],
      sampleRequests: ['社区有没有老年食堂'],
    };
    // evidence 5 + 8/2 = 9: 100 × (1 − e^(−0.45)) = 36.2
    expect(addFinding(cluster, ['民政局', '卫健委'], name)).toEqual({
      kind: FindingKind.ADD_SERVICE,
      priority: 36.2,
      title: '新增服务：老年助餐',
      rationale:
        '本期有 5 位群众提出了 8 条「老年助餐」方面的需求（主要来自区520102、区520103、区520111），现有服务都满足不了，例如「社区有没有老年食堂」。建议民政局、卫健委研究新增相应服务。',
      serviceIds: [],
      districtCodes: ['520102', '520103', '520111', '520112'],
      metrics: [
        { name: 'requests', value: 8 },
        { name: 'citizens', value: 5 },
        { name: 'districts', value: 4 },
      ],
    });
    // No district, no department, no sample: the label stands in.
    expect(addFinding({ ...cluster, districtCodes: [], sampleRequests: [] }, [], name)!.rationale).toBe(
      '本期有 5 位群众提出了 8 条「老年助餐」方面的需求，现有服务都满足不了，例如「老年助餐」。建议研究新增相应服务。',
    );
    // Exactly at the thresholds (5 requests, 3 citizens) is enough.
    expect(addFinding({ ...cluster, requestCount: 5, citizenCount: 3 }, [], name)).not.toBeNull();
  });
});
