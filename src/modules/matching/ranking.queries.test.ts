import {
  insertCitizen,
  insertCitizenSignal,
  openTestDatabase,
  publishedServiceIds,
  rolledBack,
  type TestDatabase,
} from '../../../test/helpers/test-database';
import { watermarkToSnapshot } from '../signals/signals.queries';
import { VoteValue } from '../votes/vote-value';
import { upsertVote } from '../votes/votes.queries';
import { CO_USE_SHRINKAGE, expectedCoUse, shrunkCoUse } from './aggregates';
import { replaceServiceNeighbours } from './aggregates.queries';
import { repeatRowsOf } from './repeat-rate';
import {
  ageBandDemandRows,
  citizenRankingRows,
  cohortShareRows,
  fitSignalRows,
  neighbourRows,
  neighboursWrittenBy,
  personalisedCitizens,
  repeatRows,
  segmentDemandRows,
  serviceStandingRows,
} from './ranking.queries';

let t: TestDatabase;
let services: string[];
beforeAll(async () => {
  t = await openTestDatabase();
  services = await publishedServiceIds(t.db, 3);
});
afterAll(async () => {
  await t?.close();
});

const LONG_AGO = new Date(Date.now() - 365 * 86_400_000);

describe('ranking queries on the database', () => {
  it("reads a citizen's history with the signals the worker has not applied yet, and their down votes", async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      await db.query(
        'INSERT INTO citizen_service_score (citizen_id, service_id, score, signals, last_at) VALUES ($1, $2, 1, 2, now())',
        [citizen, services[0]],
      );
      // Past the watermark: not in citizen_service_score yet, counted in the history all the same.
      await insertCitizenSignal(db, citizen, { kind: 'USE', serviceId: services[0] });
      await insertCitizenSignal(db, citizen, { kind: 'VIEW', serviceId: services[1] });
      await upsertVote(db, citizen, services[2], VoteValue.DOWN);
      const rows = (await citizenRankingRows(db, citizen, LONG_AGO, 20))!;
      const history = new Map(rows.history.map(([serviceId, , signals]) => [serviceId, signals]));
      expect(history).toEqual(
        new Map([
          [services[0], 3],
          [services[1], 1],
        ]),
      );
      // By service id: the order scoring visits the history in.
      expect(rows.history.map(([serviceId]) => serviceId)).toEqual([services[0], services[1]].sort());
      expect(rows.downVoted).toEqual([services[2]]);
      // Once the watermark is past them, only the stored scores count.
      await watermarkToSnapshot(db);
      const after = (await citizenRankingRows(db, citizen, LONG_AGO, 20))!;
      expect(after.history.map(([serviceId, , signals]) => [serviceId, signals])).toEqual([[services[0], 2]]);
    });
  });

  it('reads recent requests newest first, the latest few since the window, and none without personalisation', async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      const day = (n: number) => new Date(Date.now() - n * 86_400_000);
      await insertCitizenSignal(db, citizen, { kind: 'REQUEST', text: 'old', at: day(400) });
      await insertCitizenSignal(db, citizen, { kind: 'SEARCH', text: 'second', at: day(2) });
      await insertCitizenSignal(db, citizen, { kind: 'REQUEST', text: 'first', at: day(1) });
      await insertCitizenSignal(db, citizen, { kind: 'REQUEST', text: 'third', at: day(3) });
      const rows = (await citizenRankingRows(db, citizen, LONG_AGO, 2))!;
      expect(rows.requests!.map(([text]) => text)).toEqual(['first', 'second']);
      expect(rows.interests).toEqual([]);
      await db.query('UPDATE citizen SET personalization = false WHERE id = $1', [citizen]);
      const off = (await citizenRankingRows(db, citizen, LONG_AGO, 2))!;
      expect([off.requests, off.interests]).toEqual([null, null]);
      expect(await citizenRankingRows(db, '00000000-0000-4000-8000-000000000000', LONG_AGO, 2)).toBeUndefined();
    });
  });

  it("reads a segment's demand with its users and a cohort's shares, which sum to one", async () => {
    await rolledBack(t.db, async (db) => {
      await db.query(
        `INSERT INTO segment_service_score (district_code, age_band, service_id, score, citizens)
         SELECT d.code, b.band::age_band, $1, 2, b.users FROM (SELECT code FROM district ORDER BY code LIMIT 1) d,
                unnest(ARRAY['ADULT', 'SENIOR'], ARRAY[1, 3]) AS b(band, users)`,
        [services[0]],
      );
      const [{ code }] = await db.query('SELECT code FROM district ORDER BY code LIMIT 1');
      expect(await segmentDemandRows(db, code, null)).toEqual([{ serviceId: services[0], score: 4, citizens: 4 }]);
      expect(await segmentDemandRows(db, code, 'ADULT')).toEqual([{ serviceId: services[0], score: 2, citizens: 1 }]);
      expect(await ageBandDemandRows(db, 'SENIOR')).toEqual([{ serviceId: services[0], score: 2, citizens: 3 }]);
      await db.query(
        `INSERT INTO cohort_service_score (tag, age_band, service_id, score)
         VALUES ('student', 'ADULT', $1, 3), ('student', 'ADULT', $2, 1), ('student', 'SENIOR', $3, 5)`,
        services,
      );
      const shares = await cohortShareRows(db, 'ADULT', 'student');
      expect(new Map(shares.map((r) => [r.serviceId, r.share]))).toEqual(
        new Map([
          [services[0], 0.75],
          [services[1], 0.25],
        ]),
      );
    });
  });

  it('tells when the neighbours were rewritten', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM service_neighbour');
      expect(await neighboursWrittenBy(db)).toBeNull();
      for (let n = 0; n < 2; n += 1) {
        const citizen = await insertCitizen(db);
        for (const serviceId of services.slice(0, 2)) {
          await db.query(
            'INSERT INTO citizen_service_score (citizen_id, service_id, score, signals, last_at) VALUES ($1, $2, 1, 1, now())',
            [citizen, serviceId],
          );
        }
      }
      await replaceServiceNeighbours(db, 2, 20);
      expect(await neighboursWrittenBy(db)).toMatch(/^\d+$/);
    });
  });

  it('stores a pair’s cosine shrunk by the citizens who used both, as the fit computes it', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM citizen_service_score');
      // Two citizens used services 0 and 1; three more used service 0 alone: degrees 5 and 2, co 2.
      const used = [[0, 1], [0, 1], [0], [0], [0]];
      for (const indexes of used) {
        const citizen = await insertCitizen(db);
        for (const i of indexes)
          await db.query(
            'INSERT INTO citizen_service_score (citizen_id, service_id, score, signals, last_at) VALUES ($1, $2, 1, 1, now())',
            [citizen, services[i]],
          );
      }
      await replaceServiceNeighbours(db, 2, 20, CO_USE_SHRINKAGE);
      const pair = (await neighbourRows(db)).find((r) => r.serviceId === services[1]);
      expect(pair?.neighbourId).toBe(services[0]);
      expect(pair?.similarity).toBeCloseTo(shrunkCoUse(2, 2, 5), 12);
      expect(pair?.similarity).toBeCloseTo((2 / Math.sqrt(10)) * (2 / 7), 12);
      // By chance, the citizens having used 2, 2, 1, 1 and 1 services: 5 × 2 × (4 + 4 + 1 + 1 + 1) / 7².
      expect(pair?.coCitizens).toBe(2);
      expect(pair?.expectedCoCitizens).toBeCloseTo(expectedCoUse(5, 2, 11 / 49), 12);
      expect(pair?.expectedCoCitizens).toBeCloseTo(110 / 49, 12);
    });
  });

  it("reads the fit's citizens and their signals of a window", async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      await insertCitizenSignal(db, citizen, { kind: 'USE', serviceId: services[0] });
      await insertCitizenSignal(db, citizen, { kind: 'REQUEST', text: 'help with rent' });
      await insertCitizenSignal(db, citizen, { kind: 'COMPLAINT', text: 'no service' });
      expect((await personalisedCitizens(db)).find((c) => c.id === citizen)).toMatchObject({
        id: citizen,
        interestCategoryIds: [],
      });
      const rows = (await fitSignalRows(db, new Date(Date.now() - 3_600_000), new Date(Date.now() + 3_600_000))).filter(
        (r) => r.citizenId === citizen,
      );
      expect(rows.map((r) => [r.kind, r.serviceId, r.text]).sort()).toEqual(
        [
          ['REQUEST', null, 'help with rent'],
          ['USE', services[0], null],
        ].sort(),
      );
    });
  });

  it("reads each service's citizen-days of views and uses across the city in the last seven city days, today's among them", async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM service_activity_daily');
      const today = "(now() AT TIME ZONE 'Asia/Shanghai')::date";
      const rows: [string, string, string, number][] = [
        [services[0], today, 'VIEW', 3],
        [services[0], today, 'USE', 2],
        [services[0], `${today} - 6`, 'VIEW', 4],
        // Not views or uses, or older than the seven days: not counted.
        [services[0], today, 'COMPLAINT', 5],
        [services[0], `${today} - 7`, 'USE', 7],
        [services[1], `${today} - 30`, 'VIEW', 9],
      ];
      for (const [serviceId, day, kind, count] of rows)
        await db.query(
          `INSERT INTO service_activity_daily (service_id, day, kind, count, citizens) VALUES ($1, ${day}, $2, $3 + 1, $3)`,
          [serviceId, kind, count],
        );
      const standingRows = await serviceStandingRows(db);
      const standing = new Map(standingRows.map((r) => [r.id, r.recentDemand]));
      expect([standing.get(services[0]), standing.get(services[1]), standing.get(services[2])]).toEqual([9, 0, 0]);
      // The signals behind those citizen-days (each row here has one more signal than citizens).
      expect(standingRows.find((r) => r.id === services[0])!.recentSignals).toBe(12);
    });
  });

  it("reads the recent (citizen, service) pairs as the city's repeat rate groups them, as the fit's histories do", async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM citizen_service_score');
      // Two published services of one category, one of another.
      const [{ category }] = await db.query(
        `SELECT category_id AS category FROM service WHERE status = 'PUBLISHED'
          GROUP BY category_id HAVING count(*) >= 2 ORDER BY category_id LIMIT 1`,
      );
      const [a, b] = (
        await db.query(`SELECT id FROM service WHERE status = 'PUBLISHED' AND category_id = $1 ORDER BY id LIMIT 2`, [
          category,
        ])
      ).map((r: { id: string }) => r.id);
      const [{ id: other }] = await db.query(
        `SELECT id FROM service WHERE status = 'PUBLISHED' AND category_id <> $1 ORDER BY id LIMIT 1`,
        [category],
      );
      const categoryOf = new Map([
        [a, category],
        [b, category],
        [other, 'elsewhere'],
      ]);
      const day = (n: number) => new Date(Date.now() - n * 86_400_000);
      const histories: Record<string, [number, Date]>[] = [
        { [a]: [3, day(1)], [b]: [1, day(2)] },
        { [a]: [3, day(10)], [b]: [1, day(50)] },
        // A first signal in each of two categories: no repeat to read.
        { [a]: [1, day(1)], [other]: [1, day(1)] },
        // Its last signal before the window.
        { [a]: [5, day(100)] },
      ];
      for (const history of histories) {
        const citizen = await insertCitizen(db);
        for (const [serviceId, [signals, lastAt]] of Object.entries(history))
          await db.query(
            'INSERT INTO citizen_service_score (citizen_id, service_id, score, signals, last_at) VALUES ($1, $2, 1, $3, $4)',
            [citizen, serviceId, signals, lastAt],
          );
      }
      const since = day(56);
      const key = (r: { serviceId: string; categorySignals: number; serviceSignals: number; citizens: number }) =>
        [r.serviceId, r.categorySignals, r.serviceSignals, r.citizens].join(':');
      const stored = (await repeatRows(db, since)).map(key).sort();
      expect(stored).toEqual([`${a}:4:3:2`, `${b}:4:1:2`].sort());
      const inMemory = repeatRowsOf(
        histories.map((h) =>
          Object.entries(h).map(([serviceId, [count, lastAt]]) => ({
            serviceId,
            categoryId: categoryOf.get(serviceId),
            count,
            lastAt: lastAt.getTime(),
          })),
        ),
        since.getTime(),
      );
      expect(inMemory.map(key).sort()).toEqual(stored);
    });
  });
});
