import type { EntityManager } from 'typeorm';
import { openTestDatabase, type TestDatabase } from '../../test/helpers/test-database';
import {
  advisorySessionUnlock,
  tryAdvisorySessionLock,
  tryAdvisoryXactLock,
  tryAdvisoryXactLockPair,
} from './jobs.queries';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

const KEY = 7_340_001;
/** Advisory locks of KEY granted in this database, to any session (asked on `db`'s connection: the embedded database has only one). */
const advisoryLocks = async (db: EntityManager = t.db.manager): Promise<number> =>
  (
    await db.query(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objid = $1
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [KEY],
    )
  )[0].n;

describe('jobs queries on the database', () => {
  it('takes the transaction-level locks, both forms, and they end with the transaction', async () => {
    await t.db.transaction(async (tx) => {
      expect(await tryAdvisoryXactLock(tx, KEY)).toBe(true);
      expect(await tryAdvisoryXactLockPair(tx, 7, KEY)).toBe(true);
      expect(await advisoryLocks(tx)).toBe(2);
    });
    expect(await advisoryLocks()).toBe(0);
  });

  it('refuses a transaction-level lock another session holds, without waiting', async () => {
    if (t.databaseKind !== 'postgres') return; // the embedded database has one session
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let taken!: () => void;
    const isTaken = new Promise<void>((resolve) => (taken = resolve));
    const holder = t.db.transaction(async (tx) => {
      expect(await tryAdvisoryXactLock(tx, KEY)).toBe(true);
      taken();
      await held;
    });
    await isTaken;
    await t.db.transaction(async (tx) => expect(await tryAdvisoryXactLock(tx, KEY)).toBe(false));
    release();
    await holder;
    await t.db.transaction(async (tx) => expect(await tryAdvisoryXactLock(tx, KEY)).toBe(true));
  });

  it('takes a session-level lock on its connection and releases it', async () => {
    const runner = t.db.createQueryRunner();
    await runner.connect();
    try {
      expect(await tryAdvisorySessionLock(runner.manager, KEY)).toBe(true);
      if (t.databaseKind === 'postgres') {
        await t.db.transaction(async (tx) => expect(await tryAdvisorySessionLock(tx, KEY)).toBe(false));
      }
      expect(await advisoryLocks(runner.manager)).toBe(1);
      await advisorySessionUnlock(runner.manager, KEY);
      expect(await advisoryLocks(runner.manager)).toBe(0);
    } finally {
      await runner.release();
    }
  });
});
