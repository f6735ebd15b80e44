import type { GraphQLClient } from 'graphql-request';
import { Role } from '../../src/core/auth';
import { cityDayOf, cityMidnight, addDays } from '../../src/modules/analytics/periods';
import { detachMonthsBefore } from '../../src/modules/signals/signal-partitions';
import { createMonthPartitions, monthOf, nextMonth } from '../../src/modules/signals/signal-partitions.queries';
import { DemandTrendsDocument, RecordSignalsDocument, type SignalInput } from '../generated/graphql';
import { newCitizen, type TestCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let planner: GraphQLClient;
let citizen: TestCitizen;
beforeAll(async () => {
  t = await startTestApp();
  planner = t.client(await t.token(Role.PLANNER));
  citizen = await newCitizen(t, { districtCode: '520102', birthYear: 1985 });
});
afterAll(async () => {
  await t?.stop();
});

describe('the signal log by month', () => {
  it('detaches an old month: its signals leave the log, its trends stay, its client events stay recorded', async () => {
    const day = addDays(cityDayOf(new Date()), -70);
    const occurredAt = new Date(cityMidnight(day).getTime() + 10 * 3_600_000);
    const month = monthOf(occurredAt);
    const signals: SignalInput[] = ['one', 'two', 'three'].map((name) => ({
      kind: 'SEARCH',
      text: '公积金提取',
      occurredAt: occurredAt.toISOString(),
      clientEventId: `old-${name}`,
    }));
    expect((await citizen.client.request(RecordSignalsDocument, { signals })).recordSignals.accepted).toBe(3);
    await t.applyRollups();
    // As if they had been received in that month: moved to its partition (made for it).
    await createMonthPartitions(t.db.manager, month, month);
    await t.db.query(
      `UPDATE signal SET received_at = occurred_at WHERE citizen_id = $1 AND client_event_id LIKE 'old-%'`,
      [citizen.id],
    );
    const filter = { from: cityMidnight(day).toISOString(), to: cityMidnight(addDays(day, 1)).toISOString() };
    const total = async () => (await planner.request(DemandTrendsDocument, { filter })).demandTrends[0].total;
    expect(await total()).toBe(3);

    const detached = await detachMonthsBefore(t.db, nextMonth(month), { drop: true });
    expect(detached).toEqual([{ month, rows: 3 }]);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM signal WHERE citizen_id = $1', [citizen.id]);
    expect(n).toBe(0);
    expect(await total()).toBe(3);
    // A phone sending them again is told they are duplicates.
    expect((await citizen.client.request(RecordSignalsDocument, { signals })).recordSignals).toMatchObject({
      accepted: 0,
      duplicates: 3,
    });
  });
});
