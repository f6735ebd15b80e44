import type { EntityManager } from 'typeorm';
import { insertCitizen, openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { VoteValue } from './vote-value';
import { deleteVote, upsertRating, upsertVote } from './votes.queries';

let t: TestDatabase;
let serviceId: string;
beforeAll(async () => {
  t = await openTestDatabase();
  [{ id: serviceId }] = await t.db.query("SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 1");
});
afterAll(async () => {
  await t?.close();
});

const counters = async (db: EntityManager) =>
  (
    await db.query(
      'SELECT upvotes, downvotes, rating_count AS "ratingCount", rating_sum AS "ratingSum" FROM service_stats WHERE service_id = $1',
      [serviceId],
    )
  )[0];
const voteRow = async (db: EntityManager, citizenId: string) =>
  (
    await db.query('SELECT value, updated_at AS "updatedAt" FROM vote WHERE citizen_id = $1 AND service_id = $2', [
      citizenId,
      serviceId,
    ])
  )[0];

describe('votes queries on the database', () => {
  it('keeps one vote per citizen and service, and the counters follow casts, changes and clears', async () => {
    await rolledBack(t.db, async (db) => {
      const before = await counters(db);
      const [a, b] = [await insertCitizen(db), await insertCitizen(db)];
      await upsertVote(db, a, serviceId, VoteValue.UP);
      await upsertVote(db, b, serviceId, VoteValue.UP);
      expect(await counters(db)).toMatchObject({ upvotes: before.upvotes + 2, downvotes: before.downvotes });
      await upsertVote(db, a, serviceId, VoteValue.DOWN);
      expect(await counters(db)).toMatchObject({ upvotes: before.upvotes + 1, downvotes: before.downvotes + 1 });
      expect((await db.query('SELECT count(*)::int AS n FROM vote WHERE citizen_id = $1', [a]))[0].n).toBe(1);
      await deleteVote(db, a, serviceId);
      await deleteVote(db, a, serviceId);
      expect(await counters(db)).toMatchObject({ upvotes: before.upvotes + 1, downvotes: before.downvotes });
      expect(await voteRow(db, a)).toBeUndefined();
    });
  });

  it('leaves the row untouched when the same value is cast again', async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      await upsertVote(db, citizen, serviceId, VoteValue.UP);
      await db.query("UPDATE vote SET updated_at = '2020-01-01T00:00:00Z' WHERE citizen_id = $1", [citizen]);
      await upsertVote(db, citizen, serviceId, VoteValue.UP);
      expect((await voteRow(db, citizen)).updatedAt.toISOString()).toBe('2020-01-01T00:00:00.000Z');
      await upsertVote(db, citizen, serviceId, VoteValue.DOWN);
      const changed = await voteRow(db, citizen);
      expect(changed.value).toBe('DOWN');
      expect(changed.updatedAt.toISOString()).not.toBe('2020-01-01T00:00:00.000Z');
    });
  });

  it('replaces a rating, and the rating counters count it once', async () => {
    await rolledBack(t.db, async (db) => {
      const before = await counters(db);
      const citizen = await insertCitizen(db);
      await upsertRating(db, citizen, serviceId, 2, 'slow');
      await upsertRating(db, citizen, serviceId, 5, null);
      expect(await counters(db)).toMatchObject({
        ratingCount: before.ratingCount + 1,
        ratingSum: before.ratingSum + 5,
      });
      const [rating] = await db.query('SELECT stars, comment FROM rating WHERE citizen_id = $1', [citizen]);
      expect(rating).toEqual({ stars: 5, comment: null });
    });
  });
});
