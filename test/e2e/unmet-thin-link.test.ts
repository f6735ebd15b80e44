import { MatchRequestDocument, SubmitRequestDocument, UnmetDemandDocument } from '../generated/graphql';
import { Role } from '../../src/core/auth';
import { newCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Requests whose only link to a service is one generic or ambiguous token: 对象 of 优抚对象
 * (重点优抚对象定期抚恤补助, VA-0005), 班 of 假期运动班 (青少年暑期体育公益培训, CS-0008).
 */
const THIN = [
  { text: '帮我找个对象', notAnsweredBy: 'VA-0005' },
  { text: '想给孩子报个钢琴班', notAnsweredBy: 'CS-0008' },
];
/** Short requests that name what they ask for, each with its first service. */
const SHORT = [
  { text: '补办身份证', first: 'HR-0006' },
  { text: '公积金提取', first: 'HF-0009' },
  { text: '想给孩子报个篮球班', first: 'CS-0008' },
];

let t: TestApp;
let since: string;
let until: string;
beforeAll(async () => {
  t = await startTestApp();
  since = new Date(Date.now() - 60_000).toISOString();
});
afterAll(async () => {
  await t?.stop();
});

describe('a request linked to a service by one generic word or character', () => {
  it('is unmet and answered with no such service, by submitRequest and matchRequest', async () => {
    const citizen = await newCitizen(t, { districtCode: '520102' });
    for (const { text, notAnsweredBy } of THIN) {
      const submitted = (await citizen.client.request(SubmitRequestDocument, { input: { text } })).submitRequest;
      expect({ text, unmet: submitted.unmet }).toEqual({ text, unmet: true });
      expect(submitted.matches.map((m) => m.service.code)).not.toContain(notAnsweredBy);
      const matched = (await citizen.client.request(MatchRequestDocument, { text, first: 10 })).matchRequest;
      expect(matched.map((m) => m.service.code)).not.toContain(notAnsweredBy);
    }
  });

  it('does not make short requests that name their service unmet', async () => {
    const citizen = await newCitizen(t, { districtCode: '520102' });
    for (const { text, first } of SHORT) {
      const submitted = (await citizen.client.request(SubmitRequestDocument, { input: { text } })).submitRequest;
      expect({ text, unmet: submitted.unmet, first: submitted.matches[0]?.service.code }).toEqual({
        text,
        unmet: false,
        first,
      });
    }
  });

  it("is in planners' unmet demand", async () => {
    until = new Date(Date.now() + 60_000).toISOString();
    const planner = t.client(await t.token(Role.PLANNER));
    const clusters = (await planner.request(UnmetDemandDocument, { from: since, to: until })).unmetDemand;
    const samples = clusters.flatMap((c) => c.sampleRequests);
    for (const { text } of THIN) expect(samples).toContain(text);
    for (const { text } of SHORT) expect(samples).not.toContain(text);
  });
});
