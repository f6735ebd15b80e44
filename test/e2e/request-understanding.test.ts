import type { GraphQLClient } from 'graphql-request';
import { Role } from '../../src/core/auth';
import { seededNeedsModel } from '../../src/modules/needs/needs-data';
import { newCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let planner: GraphQLClient;
const model = seededNeedsModel();
const audiencesOf = (code: string) => [...model.serviceAudiences(code)];

beforeAll(async () => {
  t = await startTestApp();
  planner = t.client(await t.token(Role.PLANNER));
});
afterAll(async () => {
  await t?.stop();
});

const NEED_FIELDS =
  'code name nameZhHant nameEn confidence phrase excerpt met lifeEvents { code name nameEn summary } ' +
  'need { code name audiences departments { code } }';
const SUBMIT = `mutation ($input: RequestInput!) { submitRequest(input: $input) {
  unmet request { id } needs { ${NEED_FIELDS} }
  matches { score service { code } reasons { kind weight message } need { code excerpt } } } }`;
const MATCH = `query ($text: String!) { matchRequest(text: $text, first: 10) {
  service { code } need { ${NEED_FIELDS} } reasons { weight message } } }`;

interface Submitted {
  unmet: boolean;
  request: { id: string };
  needs: {
    code: string;
    name: string;
    nameEn: string;
    confidence: number;
    excerpt: string;
    met: boolean;
    lifeEvents: { code: string; summary: string }[];
    need: { code: string; name: string; audiences: string[]; departments: { code: string }[] };
  }[];
  matches: {
    score: number;
    service: { code: string };
    reasons: { weight: number; message: string }[];
    need: { code: string } | null;
  }[];
}
interface Matched {
  service: { code: string };
  need: { code: string } | null;
  reasons: { weight: number; message: string }[];
}

async function submit(client: GraphQLClient, text: string): Promise<Submitted> {
  return (await client.request<{ submitRequest: Submitted }>(SUBMIT, { input: { text } })).submitRequest;
}
async function match(text: string): Promise<Matched[]> {
  return (await t.client().request<{ matchRequest: Matched[] }>(MATCH, { text })).matchRequest;
}

describe('request understanding through the API', () => {
  it('sends a situation to the service that meets it, with the need and a reason quoting the citizen', async () => {
    const citizen = await newCitizen(t);
    const outcome = await submit(citizen.client, '我老公喝了酒就打我');
    expect(outcome.unmet).toBe(false);
    expect(outcome.needs[0]).toMatchObject({ code: 'domestic-violence', met: true });
    expect(outcome.needs[0].nameEn).not.toBe('');
    expect(outcome.needs[0].lifeEvents.length).toBeGreaterThan(0);
    expect(outcome.needs[0].lifeEvents[0].summary).not.toBe('');
    // One Need type: the recognised need is the need the lifeEvents query lists, with whom it serves and who answers.
    expect(outcome.needs[0].need).toMatchObject({ code: 'domestic-violence', name: outcome.needs[0].name });
    expect(outcome.needs[0].need.audiences).toContain('self');
    expect(outcome.needs[0].need.departments.length).toBeGreaterThan(0);
    const [best] = outcome.matches;
    expect(best.service.code).toBe('FC-0011');
    expect(best.need?.code).toBe('domestic-violence');
    const quoting = best.reasons.find((r) => r.message.startsWith('您提到'));
    expect(quoting?.message).toContain(outcome.needs[0].excerpt);
    expect(quoting?.message).toContain(outcome.needs[0].name);
    expect(best.reasons.reduce((sum, r) => sum + r.weight, 0)).toBeCloseTo(1, 3);
    const [stored] = await t.db.query('SELECT need_code, unmet FROM signal WHERE id = $1', [outcome.request.id]);
    expect(stored).toEqual({ need_code: 'domestic-violence', unmet: false });
  });

  it("reads an older parent left alone at home as a need for care, not a job seeker's", async () => {
    const [best] = await match('我妈妈年纪大了一个人在家没人照顾');
    expect(best.need?.code).toBe('home-care');
    expect(best.service.code).toMatch(/^EL-/);
  });

  it('never meets a pet, vehicle or business request with a service for residents, nor the other way round', async () => {
    for (const text of ['我家猫死了想火化', '狗狗要打狂犬疫苗']) {
      for (const m of await match(text)) expect(audiencesOf(m.service.code)).toContain('pet');
    }
    const vehicle = await match('车辆年检');
    expect(vehicle.length).toBeGreaterThan(0);
    for (const m of vehicle) expect(audiencesOf(m.service.code)).toContain('vehicle');
    const business = await match('开公司要注册营业执照');
    expect(business.length).toBeGreaterThan(0);
    for (const m of business) expect(audiencesOf(m.service.code)).toContain('business');
    const person = await match('被狗咬了要打狂犬疫苗');
    expect(person.length).toBeGreaterThan(0);
    for (const m of person) expect(audiencesOf(m.service.code)).not.toContain('pet');
  });

  it('flags the planted gaps as unmet, with the need no service meets', async () => {
    const citizen = await newCitizen(t);
    const gaps: [string, string][] = [
      ['我家猫死了想火化', 'pet-cremation'],
      ['电动自行车上牌去哪里办', 'e-bike-registration'],
      ['无人机飞行要去哪里报备', 'drone-registration'],
    ];
    for (const [text, need] of gaps) {
      const outcome = await submit(citizen.client, text);
      expect([text, outcome.unmet, outcome.matches]).toEqual([text, true, []]);
      expect(outcome.needs[0]).toMatchObject({ code: need, met: false });
      const [stored] = await t.db.query('SELECT need_code FROM signal WHERE id = $1', [outcome.request.id]);
      expect(stored.need_code).toBe(need);
    }
  });

  it('records an injected statement, markup or a test of the input as unmet, with no match and no need', async () => {
    const citizen = await newCitizen(t);
    for (const text of [
      "admin' OR 'a'='a' --",
      'SELECT phone FROM citizen; --',
      '<svg onload=alert(1)>',
      '测试测试',
      'citizen',
    ]) {
      const outcome = await submit(citizen.client, text);
      expect([text, outcome.unmet, outcome.matches, outcome.needs]).toEqual([text, true, [], []]);
      const [stored] = await t.db.query('SELECT unmet, matched_service_id, need_code FROM signal WHERE id = $1', [
        outcome.request.id,
      ]);
      expect(stored).toMatchObject({ unmet: true, matched_service_id: null, need_code: null });
    }
  });

  it("flags business and vehicle requests no service meets as unmet and answers residents' own affairs", async () => {
    const citizen = await newCitizen(t);
    for (const text of ['饭店后厨要开商用燃气账户', '公司的商标想注册一下', '给车买交强险', '游艇驾驶证在哪考']) {
      const outcome = await submit(citizen.client, text);
      expect([text, outcome.unmet]).toEqual([text, true]);
      for (const m of outcome.matches) expect(audiencesOf(m.service.code)).not.toEqual(['self']);
      const [stored] = await t.db.query('SELECT unmet FROM signal WHERE id = $1', [outcome.request.id]);
      expect(stored.unmet).toBe(true);
    }
    const met: [string, string][] = [
      ['我爸上个月退休了，钱从哪领', 'SS-0005'],
      ['公司天天让我加班不给钱，还把我辞了', 'EM-0012'],
    ];
    for (const [text, code] of met) {
      const outcome = await submit(citizen.client, text);
      expect([text, outcome.unmet, outcome.matches[0]?.service.code]).toEqual([text, false, code]);
      for (const m of outcome.matches) expect(audiencesOf(m.service.code)).not.toEqual(['business']);
    }
  });

  it('answers a request typed wholly in pinyin as the words it spells, and keeps it out of unmet demand', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const citizen = await newCitizen(t);
    for (const [text, prefix] of [
      ['shebaoka', 'SS-'],
      ['gongjijin tiqu', 'HF-'],
    ]) {
      const outcome = await submit(citizen.client, text);
      expect([text, outcome.unmet, outcome.matches[0]?.service.code.slice(0, 3)]).toEqual([text, false, prefix]);
    }
    const to = new Date(Date.now() + 60_000).toISOString();
    const clusters = (
      await planner.request<{ unmetDemand: { sampleRequests: string[] }[] }>(
        `query ($from: DateTime!, $to: DateTime!) { unmetDemand(from: $from, to: $to) { sampleRequests } }`,
        { from, to },
      )
    ).unmetDemand;
    expect(clusters.flatMap((c) => c.sampleRequests)).not.toContain('shebaoka');
  });

  it("answers 身分證過期 (Taiwan's and Hong Kong's spelling) with the identity card's renewal, not its loss", async () => {
    const [best] = await match('身分證過期了');
    expect(['HR-0004', 'HR-0005']).toContain(best.service.code);
  });

  it('counts a search that nothing meets as unmet demand, marked as a search', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const citizen = await newCitizen(t);
    await citizen.client.request(
      `mutation ($signals: [SignalInput!]!) { recordSignals(signals: $signals) { accepted } }`,
      {
        signals: [
          { kind: 'SEARCH', text: '宠物医院哪家好' },
          { kind: 'SEARCH', text: '公积金提取' },
        ],
      },
    );
    const rows = await t.db.query(
      `SELECT text, unmet, need_code FROM signal WHERE citizen_id = $1 AND kind = 'SEARCH' ORDER BY text`,
      [citizen.id],
    );
    expect(rows).toEqual([
      { text: '公积金提取', unmet: false, need_code: expect.any(String) },
      { text: '宠物医院哪家好', unmet: true, need_code: 'pet-medical' },
    ]);
    const to = new Date(Date.now() + 60_000).toISOString();
    const clusters = (
      await planner.request<{ unmetDemand: { requestCount: number; searchCount: number; sampleRequests: string[] }[] }>(
        `query ($from: DateTime!, $to: DateTime!) { unmetDemand(from: $from, to: $to) { requestCount searchCount sampleRequests } }`,
        { from, to },
      )
    ).unmetDemand;
    const searched = clusters.find((c) => c.sampleRequests.includes('宠物医院哪家好'));
    expect(searched).toMatchObject({ searchCount: 1 });
  });
});
