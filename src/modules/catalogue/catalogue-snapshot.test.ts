import { openTestDatabase, type TestDatabase } from '../../../test/helpers/test-database';
import { catalogueSnapshot, forgetCatalogueSnapshot } from './catalogue-snapshot';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe('catalogue snapshot', () => {
  it('is built once for concurrent readers, and again after the catalogue changed', async () => {
    forgetCatalogueSnapshot(t.db);
    const [a, b] = await Promise.all([catalogueSnapshot(t.db, t.db.manager), catalogueSnapshot(t.db, t.db.manager)]);
    expect(a).toBe(b);
    expect(a.services.size).toBe(300);
    await t.db.query(
      `UPDATE service SET updated_at = now(), version = version + 1
        WHERE id = (SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 1)`,
    );
    forgetCatalogueSnapshot(t.db);
    const c = await catalogueSnapshot(t.db, t.db.manager);
    expect(c).not.toBe(a);
    expect(c.version).not.toBe(a.version);
  });

  // The embedded database has one connection: a transaction holding it must not wait for a build
  // that is itself waiting for that connection.
  it('answers a transaction while a build outside it waits for the connection the transaction holds', async () => {
    forgetCatalogueSnapshot(t.db);
    const outside = catalogueSnapshot(t.db, t.db.manager);
    const inside = t.db.transaction(async (manager) => {
      await manager.query('SELECT 1');
      return catalogueSnapshot(t.db, manager);
    });
    const [fromOutside, fromInside] = await Promise.all([outside, inside]);
    expect(fromInside.services.size).toBe(300);
    expect(fromOutside.version).toBe(fromInside.version);
  });
});
