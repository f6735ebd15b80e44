import type { EntityManager } from 'typeorm';
import { insertCitizen, openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { SignalKind } from '../signals/signal-kind';
import { insertSignalRows, type SignalRow } from '../signals/signals.queries';
import { DEFAULT_LEARNING, type LearnedAssociation } from './learned-associations';
import { readVisitEvidence, replaceAssociations, storedAssociations } from './learned-associations.queries';
import { DEFAULT_LEARNING_RUN, relearnAssociations } from './learned-associations.service';

let t: TestDatabase;
let district: string;
const ids: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestDatabase();
  [{ code: district }] = await t.db.query('SELECT code FROM district ORDER BY code LIMIT 1');
  for (const { id, code } of await t.db.query("SELECT id, code FROM service WHERE status = 'PUBLISHED'"))
    ids[code] = id;
});
afterAll(async () => {
  await t?.close();
});

const NOW = new Date('2026-11-20T12:00:00Z');
const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

const signal = (citizenId: string, kind: SignalKind, at: Date, fields: Partial<SignalRow> = {}): SignalRow => ({
  citizenId,
  kind,
  serviceId: null,
  categoryId: null,
  districtCode: district,
  ageBand: null,
  text: null,
  rating: null,
  occurredAt: at,
  clientEventId: null,
  matchedServiceId: null,
  matchScore: null,
  unmet: null,
  needCode: null,
  ...fields,
});

/** A citizen's request, then a view of a service ten minutes later; an hour before NOW. */
async function visit(db: EntityManager, citizenId: string, text: string, serviceCode: string): Promise<void> {
  await insertSignalRows(db, [
    signal(citizenId, SignalKind.REQUEST, minutesBefore(60), { text }),
    signal(citizenId, SignalKind.VIEW, minutesBefore(50), { serviceId: ids[serviceCode] }),
  ]);
}

/** `askers` citizens say 养命钱 and go on to the pension claim; four others ask other things and go elsewhere. */
async function visits(db: EntityManager, askers: number): Promise<void> {
  for (let i = 0; i < askers; i++) await visit(db, await insertCitizen(db), '老汉儿的养命钱咋个领', 'SS-0005');
  for (const code of ['HR-0010', 'CA-0010', 'LA-0001', 'ED-0001'])
    await visit(db, await insertCitizen(db), '问一下别的事情', code);
}

const storedRows = (db: EntityManager): Promise<{ term: string; serviceId: string; citizens: number }[]> =>
  db.query('SELECT term, service_id AS "serviceId", citizens FROM learned_association ORDER BY term, service_id');

describe('learned-association queries on the database', () => {
  it("pairs a request with the same citizen's views and uses of published services within the window", async () => {
    await rolledBack(t.db, async (db) => {
      const [citizen, other] = [await insertCitizen(db), await insertCitizen(db)];
      await insertSignalRows(db, [
        signal(citizen, SignalKind.REQUEST, minutesBefore(60), { text: '养命钱' }),
        signal(citizen, SignalKind.VIEW, minutesBefore(70), { serviceId: ids['HR-0010'] }), // before the request
        signal(citizen, SignalKind.VIEW, minutesBefore(50), { serviceId: ids['SS-0005'] }),
        signal(citizen, SignalKind.USE, minutesBefore(35), { serviceId: ids['CA-0010'] }),
        signal(citizen, SignalKind.VIEW, minutesBefore(20), { serviceId: ids['LA-0001'] }), // past the window
        signal(citizen, SignalKind.SEARCH, minutesBefore(55), { text: '养命钱' }), // not a view or use
        signal(other, SignalKind.VIEW, minutesBefore(50), { serviceId: ids['ED-0001'] }), // another citizen
        signal(other, SignalKind.REQUEST, minutesBefore(200 * 24 * 60), { text: '很久以前' }), // past the lookback
        signal(other, SignalKind.VIEW, minutesBefore(200 * 24 * 60 - 5), { serviceId: ids['ED-0001'] }),
        signal(other, SignalKind.REQUEST, minutesBefore(40)), // no text
        signal(other, SignalKind.VIEW, minutesBefore(39), { serviceId: ids['ED-0001'] }),
      ]);
      const evidence = await readVisitEvidence(db, 30, 180, NOW);
      expect(evidence).toEqual([
        { citizenId: citizen, text: '养命钱', serviceId: ids['SS-0005'] },
        { citizenId: citizen, text: '养命钱', serviceId: ids['CA-0010'] },
      ]);
      // A service no longer published is no evidence.
      await db.query("UPDATE service SET status = 'RETIRED' WHERE id = $1", [ids['CA-0010']]);
      expect((await readVisitEvidence(db, 30, 180, NOW)).map((e) => e.serviceId)).toEqual([ids['SS-0005']]);
      // Nothing at or after `now` is read.
      expect(await readVisitEvidence(db, 30, 180, minutesBefore(60))).toEqual([]);
    });
  });

  it('replaces every stored association', async () => {
    await rolledBack(t.db, async (db) => {
      const association = (term: string, code: string): LearnedAssociation => ({
        term,
        serviceId: ids[code],
        citizens: 4,
        strength: 0.5,
      });
      await replaceAssociations(db, [association('旧', 'HR-0010'), association('养命', 'SS-0005')]);
      await replaceAssociations(db, [association('养命', 'SS-0005'), association('养命 钱', 'SS-0005')]);
      expect((await storedAssociations(db)).map((a) => a.term).sort()).toEqual(['养命', '养命 钱']);
      expect((await storedAssociations(db))[0]).toMatchObject({ serviceId: ids['SS-0005'], strength: 0.5 });
    });
  });

  it(`stores nothing that fewer than ${DEFAULT_LEARNING.minCitizens} citizens showed`, async () => {
    await rolledBack(t.db, async (db) => {
      await visits(db, DEFAULT_LEARNING.minCitizens - 1);
      expect(await relearnAssociations(db, DEFAULT_LEARNING_RUN, NOW)).toBe(0);
      expect(await storedRows(db)).toEqual([]);
    });
  });

  it(`stores an association once ${DEFAULT_LEARNING.minCitizens} citizens show it, each with its citizens counted`, async () => {
    await rolledBack(t.db, async (db) => {
      await visits(db, DEFAULT_LEARNING.minCitizens);
      const stored = await relearnAssociations(db, DEFAULT_LEARNING_RUN, NOW);
      const rows = await storedRows(db);
      expect(rows).toHaveLength(stored);
      expect(rows.map((r) => r.term)).toEqual(expect.arrayContaining(['养命', '养命 钱']));
      expect(rows.every((r) => r.serviceId === ids['SS-0005'] && r.citizens === DEFAULT_LEARNING.minCitizens)).toBe(
        true,
      );
    });
  });

  it('refuses a run asking fewer citizens than the minimum, and leaves the stored rows', async () => {
    await rolledBack(t.db, async (db) => {
      await visits(db, DEFAULT_LEARNING.minCitizens);
      const stored = await relearnAssociations(db, DEFAULT_LEARNING_RUN, NOW);
      await expect(
        relearnAssociations(db, { ...DEFAULT_LEARNING_RUN, minCitizens: DEFAULT_LEARNING.minCitizens - 1 }, NOW),
      ).rejects.toThrow(/at least 3 citizens/);
      expect(await storedRows(db)).toHaveLength(stored);
    });
  });
});
