import { GenerateCatalogueReportDocument, SubmitRequestDocument, UnmetDemandDocument } from '../generated/graphql';
import { Role } from '../../src/core/auth';
import { newCitizen } from '../helpers/fixtures';
import { requestsIntoLastWeek } from '../helpers/rollups';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Gaps of the catalogue, five requests from five citizens each; the wedding photographer is nobody's need. */
const GAPS = {
  'e-bike-registration': [
    '电动车上牌在哪里办',
    '電動自行車怎麼上牌照',
    '电瓶车挂牌需要什么材料',
    '电动车上牌在哪里办理',
    '新买的电瓶车怎么挂牌',
  ],
  'blocked-sewer': ['下水道堵了', '楼下下水道堵了没人管', '下水道堵塞往外冒水', '小区下水道堵了找谁', '下水道又堵了'],
  none: ['想找婚礼摄影师拍婚礼', '婚礼摄影跟拍哪里找', '婚礼摄影服务', '请推荐婚礼摄影', '婚礼摄影师预约'],
};
const RESPONSIBLE = { 'e-bike-registration': ['GY-PSB-TMB'], 'blocked-sewer': ['GY-CUM', 'GY-WSG'], none: [] };

let t: TestApp;
let since: string;
let until: string;
beforeAll(async () => {
  t = await startTestApp();
  since = new Date(Date.now() - 60_000).toISOString();
  const citizens = await Promise.all(Array.from({ length: 5 }, () => newCitizen(t, { districtCode: '520102' })));
  for (const texts of Object.values(GAPS)) {
    for (const [i, text] of texts.entries()) {
      const { unmet } = (await citizens[i].client.request(SubmitRequestDocument, { input: { text } })).submitRequest;
      expect([text, unmet]).toEqual([text, true]);
    }
  }
  until = new Date(Date.now() + 60_000).toISOString();
});
afterAll(async () => {
  await t?.stop();
});

describe('unmet demand by need', () => {
  it('says which need each planted gap is about, its category and the departments responsible', async () => {
    const planner = t.client(await t.token(Role.PLANNER));
    const clusters = (await planner.request(UnmetDemandDocument, { from: since, to: until })).unmetDemand;
    expect(clusters).toHaveLength(3);
    for (const [code, texts] of Object.entries(GAPS)) {
      const cluster = clusters.find((c) => c.sampleRequests.includes(texts[0]))!;
      expect(cluster.requestCount).toBe(5);
      if (code === 'none') {
        expect(cluster.need).toBeNull();
        expect(cluster.category).toBeNull();
      } else {
        expect(cluster.need?.code).toBe(code);
        expect(cluster.need!.departments.map((d) => d.code).sort()).toEqual(
          RESPONSIBLE[code as keyof typeof RESPONSIBLE],
        );
        expect(cluster.category).not.toBeNull();
      }
    }
  });

  it('names in each ADD_SERVICE finding the departments responsible for the need, not those of the closest service', async () => {
    const planner = t.client(await t.token(Role.PLANNER));
    // A report covers days that have ended: the requests move to yesterday noon, in the period.
    const period = await requestsIntoLastWeek(t);
    const report = (await planner.request(GenerateCatalogueReportDocument, period)).generateCatalogueReport;
    const adds = report.findings.filter((f) => f.kind === 'ADD_SERVICE');
    expect(adds).toHaveLength(3);
    for (const [code, texts] of Object.entries(GAPS)) {
      const finding = adds.find((f) => (f.cluster!.need?.code ?? 'none') === code)!;
      expect(finding.cluster!.sampleRequests).toContain(texts[0]);
      expect(finding.departments.map((d) => d.code).sort()).toEqual(RESPONSIBLE[code as keyof typeof RESPONSIBLE]);
    }
  });
});

describe('unmet demand of one need told in different words', () => {
  it('is one topic, with every request and district counted', async () => {
    const from = new Date(Date.now() - 1_000).toISOString();
    const wordings = [
      ['520103', '小区路灯坏了一个星期没人修'],
      ['520111', '我们楼下的路灯不亮了'],
      ['520113', '路灯不亮晚上太黑了，老人出门不安全'],
    ];
    for (const [districtCode, text] of wordings) {
      const citizen = await newCitizen(t, { districtCode });
      const { unmet } = (await citizen.client.request(SubmitRequestDocument, { input: { text } })).submitRequest;
      expect([text, unmet]).toEqual([text, true]);
    }
    const planner = t.client(await t.token(Role.PLANNER));
    const to = new Date(Date.now() + 60_000).toISOString();
    const clusters = (await planner.request(UnmetDemandDocument, { from, to })).unmetDemand;
    expect(clusters).toHaveLength(1);
    expect(clusters[0].requestCount).toBe(3);
    expect(clusters[0].districts).toHaveLength(3);
    expect(clusters[0].sampleRequests).toEqual(expect.arrayContaining(wordings.map(([, text]) => text)));
  });
});
