import { LifeEventsDocument, RetireServiceDocument } from '../generated/graphql';
import { Role } from '../../src/core/auth';
import { startTestApp, steadyStatementsOf, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

const lifeEvents = async () => (await t.client().request(LifeEventsDocument)).lifeEvents;

describe('lifeEvents', () => {
  it('answers every life event the city serves with services of more than one department', async () => {
    const events = await lifeEvents();
    expect(events.length).toBeGreaterThanOrEqual(25);
    for (const event of events) {
      expect(event.name).not.toBe('');
      expect(event.nameZhHant).not.toBe('');
      expect(event.nameEn).toMatch(/[A-Za-z]/);
      expect(event.needs.length).toBeGreaterThan(0);
      // The bundle is its needs' published services, once each, and their lead departments.
      const ofNeeds = [...new Set(event.needs.flatMap((n) => n.services.map((s) => s.code)))];
      expect(event.services.map((s) => s.code).sort()).toEqual(ofNeeds.sort());
      const departments = new Set(event.services.map((s) => s.department.code));
      expect(event.departments.map((d) => d.code).sort()).toEqual([...departments].sort());
      if (event.services.length > 0)
        expect({ event: event.code, many: departments.size > 1 }).toEqual({ event: event.code, many: true });
    }
  });

  it('walks a death in the family: registration papers, funeral, pension, hukou, and the gap of the housing fund', async () => {
    const death = (await lifeEvents()).find((e) => e.code === 'death')!;
    expect(death).toMatchObject({ name: '身后事', nameEn: expect.stringMatching(/death/i) as string });
    const codes = death.services.map((s) => s.code);
    for (const code of ['HR-0013', 'CA-0010', 'CA-0009', 'SS-0016', 'LA-0004']) expect(codes).toContain(code);
    const departments = death.departments.map((d) => d.code);
    for (const code of ['GY-PSB', 'GY-CA', 'GY-HRSS-SIA', 'GY-JUS']) expect(departments).toContain(code);

    const hukou = death.needs.find((n) => n.code === 'deceased-hukou')!;
    expect(hukou.services.map((s) => s.code)).toEqual(['HR-0013']);
    expect(hukou.departments.map((d) => d.code)).toEqual(['GY-PSB']);
    // The housing-fund withdrawal of the deceased has no service yet: the need still names its department.
    const housingFund = death.needs.find((n) => n.code === 'deceased-housing-fund')!;
    expect(housingFund.services).toEqual([]);
    expect(housingFund.departments.map((d) => d.code)).toEqual(['GY-HPF']);

    // A retired service leaves the bundle at once.
    const survivor = death.services.find((s) => s.code === 'SS-0016')!;
    await t
      .client(await t.token(Role.ADMIN))
      .request(RetireServiceDocument, { id: survivor.id, reason: '并入其他服务' });
    const after = (await lifeEvents()).find((e) => e.code === 'death')!;
    expect(after.services.map((s) => s.code)).not.toContain('SS-0016');
    expect(after.needs.find((n) => n.code === 'survivor-benefits')!.services).toEqual([]);
  });

  it('loads every service and department of every bundle in a fixed number of statements', async () => {
    await lifeEvents();
    expect(await steadyStatementsOf(t.statements, lifeEvents)).toBeLessThanOrEqual(4);
  });
});
