import { GenerateCatalogueReportDocument, SubmitRequestDocument, UnmetDemandDocument } from '../generated/graphql';
import { Role } from '../../src/core/auth';
import { newCitizen } from '../helpers/fixtures';
import { requestsIntoLastWeek } from '../helpers/rollups';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Texts that express no need, each sent by every citizen: without the rule, the largest clusters. */
const NO_NEED = [
  '帮帮我',
  '<script>alert(1)</script>',
  'null',
  '你好',
  '谢谢',
  '测试一下',
  '哈哈哈哈',
  'asdfghjkl',
  '1234567890',
  '？？？',
  '在吗',
  'undefined',
  'DROP TABLE service',
  '../../etc/passwd',
];
/** Gaps of the catalogue, each text from another citizen. */
const GAPS = {
  ebike: [
    '电动车上牌在哪里办',
    '電動自行車怎麼上牌照',
    '电瓶车挂牌需要什么材料',
    '新买的电瓶车怎么挂牌',
    '电动车上牌在哪里办理',
  ],
  wedding: ['想找婚礼摄影师拍婚礼', '婚礼摄影跟拍哪里找', '请推荐婚礼摄影', '婚礼摄影师预约', '婚礼摄影服务'],
};
/** As many as each gap has texts: every cluster is large enough for an ADD_SERVICE finding. */
const CITIZENS = 5;

let t: TestApp;
let since: string;
let until: string;
/** The texts submitRequest answered unmet (the answer is what it was: the rule only reads). */
const unmetTexts: string[] = [];
beforeAll(async () => {
  t = await startTestApp();
  since = new Date(Date.now() - 60_000).toISOString();
  const citizens = await Promise.all(Array.from({ length: CITIZENS }, () => newCitizen(t, { districtCode: '520102' })));
  for (const [i, citizen] of citizens.entries()) {
    for (const text of [...NO_NEED, GAPS.ebike[i], GAPS.wedding[i]]) {
      const { unmet } = (await citizen.client.request(SubmitRequestDocument, { input: { text } })).submitRequest;
      if (unmet) unmetTexts.push(text);
    }
  }
  until = new Date(Date.now() + 60_000).toISOString();
});
afterAll(async () => {
  await t?.stop();
});

describe('requests that express no need', () => {
  it('are answered and stored as signals, most of them unmet', async () => {
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count FROM signal WHERE kind = 'REQUEST' AND text = ANY ($1)`,
      [NO_NEED],
    );
    expect(count).toBe(NO_NEED.length * CITIZENS);
    // Otherwise the test would show nothing: most of them reached unmet demand's read.
    expect(unmetTexts.filter((text) => NO_NEED.includes(text)).length).toBeGreaterThan(NO_NEED.length * 2);
    for (const text of [...GAPS.ebike, ...GAPS.wedding]) expect(unmetTexts).toContain(text);
  });

  it('form no unmet-demand cluster and join none: only the real gaps are listed', async () => {
    const planner = t.client(await t.token(Role.PLANNER));
    const clusters = (await planner.request(UnmetDemandDocument, { from: since, to: until })).unmetDemand;
    expect(clusters.map((c) => [c.requestCount, c.sampleRequests.sort()])).toEqual(
      expect.arrayContaining([
        [CITIZENS, [...GAPS.ebike].sort()],
        [CITIZENS, [...GAPS.wedding].sort()],
      ]),
    );
    expect(clusters).toHaveLength(2);
  });

  it('count neither in the report’s unmet requests nor in its coverage, and no finding is about them', async () => {
    const planner = t.client(await t.token(Role.PLANNER));
    // A report covers days that have ended: the requests move to yesterday noon, in the period.
    const period = await requestsIntoLastWeek(t);
    const report = (await planner.request(GenerateCatalogueReportDocument, period)).generateCatalogueReport;
    const requests = (NO_NEED.length + 2) * CITIZENS;
    const noNeedUnmet = unmetTexts.filter((text) => NO_NEED.includes(text)).length;
    expect(report.summary).toMatchObject({ requests, unmetRequests: 2 * CITIZENS });
    // The gap requests of the requests that express a need (no-need requests that a service met stay in the base).
    const base = requests - noNeedUnmet;
    expect(report.summary.coverage).toBeCloseTo((base - 2 * CITIZENS) / base, 4);
    const adds = report.findings.filter((f) => f.kind === 'ADD_SERVICE');
    expect(adds.map((f) => f.cluster!.sampleRequests.sort())).toEqual(
      expect.arrayContaining([[...GAPS.ebike].sort(), [...GAPS.wedding].sort()]),
    );
    expect(adds).toHaveLength(2);
  });
});
