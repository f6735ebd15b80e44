import { RecommendedDocument, RecordSignalsDocument } from '../generated/graphql';
import { newCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
/** 乌当区, 18 to 34. */
const PROFILE = { districtCode: '520112', birthYear: 1995 };

beforeAll(async () => {
  // The production default: copies of shared demand reused for 30 s.
  t = await startTestApp({ RANKING_DEMAND_SECONDS: '30' });
});
afterAll(async () => {
  await t?.stop();
});

describe('shared demand in a young city', () => {
  it('reaches a ranking within seconds of being recorded, not after the 30 s a large city waits', async () => {
    const [{ id: serviceId }]: { id: string }[] = await t.db.query(
      `SELECT id FROM service WHERE status = 'PUBLISHED' AND min_age IS NULL AND max_age IS NULL
          AND required_tags = '{}' AND district_codes = '{}' ORDER BY code DESC LIMIT 1`,
    );
    const stranger = await newCitizen(t, PROFILE);
    const demandOf = async () => {
      const { recommendedServices } = await stranger.client.request(RecommendedDocument, { first: 10 });
      const node = recommendedServices.edges.find((e) => e.node.service.id === serviceId)?.node;
      return node?.reasons.filter((r) => r.kind === 'SEGMENT_DEMAND' || r.kind === 'POPULAR') ?? [];
    };
    // The first ranking reads the copies while the city has used nothing.
    expect(await demandOf()).toEqual([]);
    const users = await Promise.all([0, 1, 2].map(() => newCitizen(t, PROFILE)));
    for (const user of users)
      await user.client.request(RecordSignalsDocument, {
        signals: Array.from({ length: 5 }, () => ({ kind: 'USE' as const, serviceId })),
      });
    await t.applyRollups();
    const recordedAt = Date.now();
    let reasons = await demandOf();
    while (reasons.length === 0 && Date.now() - recordedAt < 8_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      reasons = await demandOf();
    }
    expect(reasons.length).toBeGreaterThan(0);
    expect(Date.now() - recordedAt).toBeLessThan(8_000);
  });
});
