import { RecordSignalsDocument, SubmitRequestDocument } from '../generated/graphql';
import { learnAssociationsOnce } from '../../src/modules/needs/association-learning.job';
import { LEARNED_REASON, learnedMatches } from '../../src/modules/needs/learned-associations';
import { DEFAULT_LEARNING_RUN, loadAssociations } from '../../src/modules/needs/learned-associations.service';
import { newCitizen, type TestCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let ids: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  const rows: { id: string; code: string }[] = await t.db.query('SELECT id, code FROM service');
  ids = Object.fromEntries(rows.map((r) => [r.code, r.id]));
});
afterAll(async () => {
  await t?.stop();
});

let event = 0;
async function visit(citizen: TestCitizen, text: string, code: string, minutesLater = 5): Promise<void> {
  await citizen.client.request(SubmitRequestDocument, { input: { text } });
  const occurredAt = new Date(Date.now() + minutesLater * 60_000).toISOString();
  const signals = [{ kind: 'VIEW' as const, serviceId: ids[code], occurredAt, clientEventId: `visit-${event++}` }];
  expect((await citizen.client.request(RecordSignalsDocument, { signals })).recordSignals.accepted).toBe(1);
}

describe('learning from requests followed by a view in the same visit', () => {
  it('stores associations of enough citizens within the window, and the scorer proposes them', async () => {
    const citizens = await Promise.all(Array.from({ length: 12 }, () => newCitizen(t)));
    // Eight citizens say 养命钱 and go on to the pension claim; one more goes there only hours later.
    for (const citizen of citizens.slice(0, 8)) await visit(citizen, '老汉儿的养命钱咋个领', 'SS-0005');
    // Others, asking other things, go to other services: the base rates.
    for (const [i, citizen] of citizens.slice(8).entries())
      await visit(citizen, '问一下别的事情', ['HR-0010', 'CA-0010', 'LA-0001', 'ED-0001'][i]);

    expect(await learnAssociationsOnce(t.db, { ...DEFAULT_LEARNING_RUN, windowMinutes: 1 })).toBe(0);
    const stored = await learnAssociationsOnce(t.db);
    expect(stored).toBeGreaterThan(0);
    const rows: { term: string; citizens: number; strength: number }[] = await t.db.query(
      'SELECT term, citizens, strength FROM learned_association WHERE service_id = $1 ORDER BY term',
      [ids['SS-0005']],
    );
    expect(rows.map((r) => r.term)).toEqual(expect.arrayContaining(['养命', '养命 钱']));
    expect(rows.every((r) => r.citizens === 8)).toBe(true);

    const [match] = learnedMatches('帮老汉儿办养命钱', await loadAssociations(t.db.manager));
    expect(match).toMatchObject({ serviceId: ids['SS-0005'], reason: LEARNED_REASON });
    // matchRequest blends them, saying why.
    const answered = (
      await t
        .client()
        .request<{ matchRequest: { service: { code: string }; reasons: { message: string }[] }[] }>(
          'query ($text: String!) { matchRequest(text: $text, first: 10) { service { code } reasons { message } } }',
          { text: '帮老汉儿办养命钱' },
        )
    ).matchRequest;
    const pension = answered.find((m) => m.service.code === 'SS-0005');
    expect(pension?.reasons.map((r) => r.message)).toContain(LEARNED_REASON);
    // Learning again replaces the rows rather than adding to them.
    expect(await learnAssociationsOnce(t.db)).toBe(stored);
    expect(Number((await t.db.query('SELECT count(*) AS n FROM learned_association'))[0].n)).toBe(stored);
  });

  it('refuses a row of fewer than three citizens', async () => {
    await expect(
      t.db.query(
        `INSERT INTO learned_association (term, service_id, citizens, strength, learned_at) VALUES ('x', $1, 2, 0.5, now())`,
        [ids['SS-0005']],
      ),
    ).rejects.toThrow(/learned_association_citizens_check/);
  });
});
