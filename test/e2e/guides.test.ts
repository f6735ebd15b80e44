import { serviceId } from '../../seeds/catalogue';
import { ServiceGuides1795988000000 } from '../../src/db/migrations/1795988000000-ServiceGuides';
import { CataloguePageDocument, ServiceGuideDocument } from '../generated/graphql';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

describe('service guides', () => {
  it('shows the passport guide as seeded: materials, fee, time limits, where, hotline and legal basis', async () => {
    const { service } = await t.client().request(ServiceGuideDocument, { id: serviceId('HR-0015') });
    expect(service!.guide).toMatchObject({
      conditions: ['中华人民共和国公民因私出境'],
      fee: { free: false, amount: '每本120元', basis: '《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》' },
      legalTimeLimitDays: 15,
      promisedTimeLimitDays: 7,
      where: { onlineUrl: null, apps: ['移民局'], pointKinds: ['DEPARTMENT_HALL', 'DISTRICT_CENTRE', 'CITY_CENTRE'] },
      consultationPhone: '12367',
      legalBasis: ['《中华人民共和国护照法》', '《中华人民共和国出境入境管理法》'],
    });
    expect(service!.guide!.materials[0]).toEqual({ name: '居民身份证', form: 'ORIGINAL', count: 1, notes: null });
    expect(service!.guide!.materials).toHaveLength(4);
  });

  it('gives every seeded service a guide, a free one without amount', async () => {
    const { services } = await t.client().request(CataloguePageDocument, { first: 100 });
    expect(services.totalCount).toBe(300);
    for (const edge of services.edges) expect(edge.node.guide).not.toBeNull();
    const { service } = await t.client().request(ServiceGuideDocument, { id: serviceId('SS-0001') });
    expect(service!.guide!.fee).toEqual({ free: true, amount: null, basis: null });
  });

  it('fills in the guides of a catalogue loaded before the migration', async () => {
    const runner = t.db.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('DROP TABLE service_guide');
      await new ServiceGuides1795988000000().up(runner);
      const [{ count }] = await runner.query('SELECT count(*)::int AS count FROM service_guide');
      expect(count).toBe(300);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
