import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  insertCitizen,
  insertCitizenSignal,
  openTestDatabase,
  publishedServiceIds,
  rolledBack,
  type TestDatabase,
} from '../../../test/helpers/test-database';
import { watermarkToSnapshot } from '../signals/signals.queries';
import {
  addAppliedSignalsToMatchingAggregates,
  applyRequestMatches,
  clearMatchingAggregates,
  citizenServiceRowsUpTo,
  replaceServiceNeighbours,
  unmatchedRequestTexts,
} from './aggregates.queries';

let t: TestDatabase;
let services: string[];
beforeAll(async () => {
  t = await openTestDatabase();
  services = await publishedServiceIds(t.db, 4);
});
afterAll(async () => {
  await t?.close();
});

const scores = async (db: EntityManager, table: string, serviceId: string) =>
  Number((await db.query(`SELECT coalesce(sum(score), 0) AS s FROM ${table} WHERE service_id = $1`, [serviceId]))[0].s);

describe('matching aggregates queries on the database', () => {
  it("keeps low ratings out of the shared aggregates but in the rater's own history", async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      await db.query("UPDATE citizen SET tags = '{student}' WHERE id = $1", [citizen]);
      await insertCitizenSignal(db, citizen, { kind: 'RATING', serviceId: services[0], rating: 1 });
      await insertCitizenSignal(db, citizen, { kind: 'USE', serviceId: services[1] });
      // The signals of this transaction count as below the watermark once it is moved past it.
      await watermarkToSnapshot(db);
      await clearMatchingAggregates(db);
      await addAppliedSignalsToMatchingAggregates(db);
      for (const table of ['service_popularity', 'segment_service_score', 'cohort_service_score']) {
        expect(await scores(db, table, services[0])).toBe(0);
        expect(await scores(db, table, services[1])).toBeGreaterThan(0);
      }
      const own = await db.query(
        'SELECT service_id AS "serviceId", signals FROM citizen_service_score WHERE citizen_id = $1 ORDER BY 1',
        [citizen],
      );
      expect(own).toEqual([services[0], services[1]].sort().map((serviceId) => ({ serviceId, signals: 1 })));
    });
  });

  it('keeps neighbours used together by enough citizens, the best few per service', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM citizen_service_score');
      const [a, b, c] = services;
      // a and b used together by three citizens, b and c by three, a and c by two.
      const uses = [[a, b], [a, b, c], [a, b, c], [b], [b, c]];
      for (const used of uses) {
        const citizen = await insertCitizen(db);
        for (const serviceId of used) {
          await db.query(
            'INSERT INTO citizen_service_score (citizen_id, service_id, score, signals, last_at) VALUES ($1, $2, 1, 1, now())',
            [citizen, serviceId],
          );
        }
      }
      expect(await replaceServiceNeighbours(db, 3, 1)).toBe(3);
      const rows = await db.query(
        'SELECT service_id AS s, neighbour_id AS n, co_citizens AS co FROM service_neighbour ORDER BY 1, 2',
      );
      // Pairs of three or more citizens: a–b and b–c; one neighbour each. b's two are as similar
      // (3 / sqrt(5 · 3)): the lower id is kept.
      const expected = [
        [a, b, 3],
        [b, a < c ? a : c, 3],
        [c, b, 3],
      ].sort((x, y) => (x[0] < y[0] ? -1 : 1));
      expect(rows.map((r: { s: string; n: string; co: number }) => [r.s, r.n, r.co])).toEqual(expected);
      expect(await replaceServiceNeighbours(db, 10, 20)).toBe(0);
      // Eleven citizen × service rows: counted up to the limit asked for.
      expect(await citizenServiceRowsUpTo(db, 100)).toBe(11);
      expect(await citizenServiceRowsUpTo(db, 4)).toBe(4);
    });
  });

  it('fills the matches of requests stored without them, unmet below the threshold', async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      const [met, unmet, unmatched]: string[] = [randomUUID(), randomUUID(), randomUUID()];
      for (const text of [met, met, unmet, unmatched])
        await insertCitizenSignal(db, citizen, { kind: 'REQUEST', text });
      expect((await unmatchedRequestTexts(db)).filter((x) => [met, unmet, unmatched].includes(x)).sort()).toEqual(
        [met, unmet, unmatched].sort(),
      );
      const changed = await applyRequestMatches(
        db,
        [
          { text: met, serviceId: services[0], score: 0.9 },
          { text: unmet, serviceId: services[1], score: 0.2 },
          { text: unmatched, serviceId: null, score: null },
        ],
        0.5,
      );
      expect(changed).toBeGreaterThanOrEqual(4);
      const rows = await db.query(
        `SELECT text, matched_service_id AS "serviceId", unmet FROM signal WHERE citizen_id = $1 ORDER BY text, id`,
        [citizen],
      );
      const byText = new Map(rows.map((r: { text: string }) => [r.text, r]));
      expect(byText.get(met)).toEqual({ text: met, serviceId: services[0], unmet: false });
      expect(byText.get(unmet)).toEqual({ text: unmet, serviceId: services[1], unmet: true });
      expect(byText.get(unmatched)).toEqual({ text: unmatched, serviceId: null, unmet: true });
      expect(await unmatchedRequestTexts(db)).not.toContain(met);
    });
  });
});
