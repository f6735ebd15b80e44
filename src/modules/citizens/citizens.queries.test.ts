import { randomUUID } from 'node:crypto';
import { openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { citizensByIds, upsertProfile } from './citizens.queries';

let t: TestDatabase;
let districts: string[];
beforeAll(async () => {
  t = await openTestDatabase();
  districts = (await t.db.query('SELECT code FROM district ORDER BY code LIMIT 2')).map(
    (r: { code: string }) => r.code,
  );
});
afterAll(async () => {
  await t?.close();
});

describe('citizens queries on the database', () => {
  it('creates a profile with the defaults, and an update keeps what it leaves out', async () => {
    await rolledBack(t.db, async (db) => {
      const id = randomUUID();
      const write = { id, districtCode: districts[0], birthYear: null, tags: null, personalization: null };
      await upsertProfile(db, { ...write, birthYear: 1950, setBirthYear: true });
      expect(await citizensByIds(db, [id])).toEqual([
        expect.objectContaining({ id, districtCode: districts[0], birthYear: 1950, tags: [], personalization: true }),
      ]);
      await upsertProfile(db, { ...write, tags: ['student'], personalization: false, setBirthYear: true });
      await upsertProfile(db, { ...write, districtCode: districts[1], setBirthYear: false });
      const [citizen] = await citizensByIds(db, [id, randomUUID()]);
      expect(citizen).toMatchObject({ districtCode: districts[1], birthYear: null, tags: ['student'] });
      expect(citizen.personalization).toBe(false);
      await upsertProfile(db, { ...write, birthYear: 1990, setBirthYear: false });
      expect((await citizensByIds(db, [id]))[0].birthYear).toBeNull();
    });
  });
});
