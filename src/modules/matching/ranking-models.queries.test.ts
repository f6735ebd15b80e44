import { openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import type { EntityManager } from 'typeorm';
import {
  activateModel,
  activeModelId,
  activeModelWeights,
  deactivateModels,
  insertModel,
  insertSystemModelAuditEvent,
  lockModels,
  modelById,
  modelExists,
  newestFitTime,
  newestModels,
  type NewModel,
} from './ranking-models.queries';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

const model = (overrides: Partial<NewModel> = {}): NewModel => ({
  weightsJson: JSON.stringify({ popularity: 0.5 }),
  method: 'test',
  historyFrom: new Date('2026-01-01T00:00:00Z'),
  fitFrom: new Date('2026-02-01T00:00:00Z'),
  evaluationFrom: new Date('2026-03-01T00:00:00Z'),
  evaluationTo: new Date('2026-03-08T00:00:00Z'),
  fitCitizens: 12,
  evaluationJson: JSON.stringify({ queries: 12, fitted: 0.4, defaults: 0.3, baselines: {} }),
  active: false,
  ...overrides,
});

/** Activates `id` as activateRankingModel does. */
async function activate(db: EntityManager, id: number): Promise<void> {
  await lockModels(db);
  await deactivateModels(db);
  await activateModel(db, id);
}

describe('ranking model queries on the database', () => {
  it('tells when the newest model was fitted, null before any', async () => {
    await rolledBack(t.db, async (db) => {
      expect(await newestFitTime(db)).toBeNull();
      await insertModel(db, model());
      const [{ now }] = await db.query('SELECT now() AS now');
      expect(await newestFitTime(db)).toEqual(now);
    });
  });

  it('stores models, at most one active: activating one deactivates the other', async () => {
    await rolledBack(t.db, async (db) => {
      const first = await insertModel(db, model({ active: true }));
      const second = await insertModel(db, model({ weightsJson: JSON.stringify({ popularity: 0.7 }) }));
      expect(await activeModelId(db)).toBe(first);
      expect(await modelById(db, first)).toMatchObject({ id: first, active: true, fitCitizens: 12 });
      expect((await modelById(db, first))!.activatedAt).toBeInstanceOf(Date);
      expect((await modelById(db, second))!.activatedAt).toBeNull();
      await activate(db, second);
      expect(await activeModelWeights(db)).toEqual({ id: second, weights: { popularity: 0.7 } });
      expect((await newestModels(db, 10)).map((m) => [m.id, m.active])).toEqual([
        [second, true],
        [first, false],
      ]);
      await deactivateModels(db);
      expect(await activeModelWeights(db)).toBeUndefined();
      expect(await modelExists(db, second)).toBe(true);
      expect(await modelExists(db, second + 1000)).toBe(false);
    });
  });

  it('refuses a second active model stored without deactivating the first (the partial unique index)', async () => {
    await expect(
      rolledBack(t.db, async (db) => {
        await insertModel(db, model({ active: true }));
        await insertModel(db, model({ active: true }));
      }),
    ).rejects.toThrow(/ranking_model_one_active|duplicate key/);
  });

  it("writes the system's audit event of a fit", async () => {
    await rolledBack(t.db, async (db) => {
      const id = await insertModel(db, model());
      await insertSystemModelAuditEvent(db, 'rankingModel.fit', id, JSON.stringify({ fitted: 0.4 }));
      const [event] = await db.query(
        'SELECT actor_id AS "actorId", action, target_id AS "targetId", details FROM audit_event WHERE target_type = \'ranking_model\'',
      );
      expect(event).toEqual({
        actorId: null,
        action: 'rankingModel.fit',
        targetId: String(id),
        details: { fitted: 0.4 },
      });
    });
  });
});
