import { randomUUID } from 'node:crypto';
import { openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { claimKey, deleteExpiredKey, purgeExpiredKeys, readKey, storeOutcome } from './idempotency.queries';

// Fingerprints are sha256 hex (a char(64) column).
const F1 = 'a'.repeat(64);
const F2 = 'b'.repeat(64);

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

describe('idempotency queries on the database', () => {
  it('claims a key once per caller, stores the outcome, and lets an expired key be claimed again', async () => {
    await rolledBack(t.db, async (db) => {
      const [caller, other] = [randomUUID(), randomUUID()];
      expect(await claimKey(db, caller, 'k', 'castVote', F1)).toBe(true);
      expect(await claimKey(db, caller, 'k', 'castVote', F2)).toBe(false);
      expect(await claimKey(db, other, 'k', 'castVote', F1)).toBe(true);
      expect(await readKey(db, caller, 'k')).toEqual({ fingerprint: F1, outcome: null });
      await storeOutcome(db, caller, 'k', JSON.stringify({ id: 7 }));
      expect(await readKey(db, caller, 'k')).toEqual({ fingerprint: F1, outcome: { id: 7 } });
      await deleteExpiredKey(db, caller, 'k', 24);
      expect(await readKey(db, caller, 'k')).toBeDefined();
      await db.query("UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE caller_id = $1", [
        caller,
      ]);
      await deleteExpiredKey(db, caller, 'k', 24);
      expect(await readKey(db, caller, 'k')).toBeUndefined();
      expect(await claimKey(db, caller, 'k', 'castVote', F2)).toBe(true);
    });
  });

  it('purges expired keys of anyone, a batch at a time', async () => {
    await rolledBack(t.db, async (db) => {
      for (let n = 0; n < 5; n += 1) await claimKey(db, randomUUID(), `k${n}`, 'op', F1);
      await db.query("UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key <> 'k4'");
      await purgeExpiredKeys(db, 24, 3);
      const left = async () => (await db.query('SELECT count(*)::int AS n FROM idempotency_key'))[0].n;
      expect(await left()).toBe(2);
      await purgeExpiredKeys(db, 24, 3);
      expect(await left()).toBe(1);
    });
  });
});
