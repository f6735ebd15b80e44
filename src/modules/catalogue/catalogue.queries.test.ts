import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  departmentIds,
  leafCategoryId,
  openTestDatabase,
  rolledBack,
  type TestDatabase,
} from '../../../test/helpers/test-database';
import { Channel, ServiceOrder, ServiceStatus } from './catalogue.enums';
import {
  copyServiceToVersion,
  departmentServicesWindow,
  departmentServiceTotals,
  insertPublishedService,
  insertServiceStats,
  lockServiceHead,
  markServiceRetired,
  publishedCatalogueVersion,
  replaceCoDepartments,
  servicePage,
  updateServiceContent,
  upsertServiceGuide,
  type ServiceContent,
} from './catalogue.queries';
import { SERVICE_COLUMNS } from './service-row';

let t: TestDatabase;
let categoryId: string;
let departments: string[];
beforeAll(async () => {
  t = await openTestDatabase();
  categoryId = await leafCategoryId(t.db);
  departments = await departmentIds(t.db, 3);
});
afterAll(async () => {
  await t?.close();
});

const content = (overrides: Partial<ServiceContent> = {}): ServiceContent => ({
  title: '测试服务 writing test',
  titleEn: 'Writing test',
  summary: 'A service written by a database test',
  description: null,
  categoryId,
  tags: ['test-tag'],
  departmentId: departments[0],
  coDepartmentIds: [departments[2], departments[1]],
  channels: [Channel.ONLINE],
  minAge: 18,
  maxAge: null,
  requiredTags: [],
  districtCodes: [],
  ...overrides,
});

async function publish(db: EntityManager, overrides: Partial<ServiceContent> = {}): Promise<string> {
  const id = randomUUID();
  const c = content(overrides);
  await insertPublishedService(db, id, `T-${id.slice(0, 8)}`, c);
  await insertServiceStats(db, id);
  await replaceCoDepartments(db, id, c.coDepartmentIds);
  return id;
}

describe('catalogue queries on the database', () => {
  it('publishes version 1 with its search vector, counters row and co-departments', async () => {
    await rolledBack(t.db, async (db) => {
      const id = await publish(db);
      const [row] = await db.query(
        `SELECT status, version, published_at IS NOT NULL AS published, search_vector @@ to_tsquery('simple', 'writing') AS found,
                (SELECT count(*)::int FROM service_stats WHERE service_id = $1) AS stats,
                array(SELECT department_id::text FROM service_co_department WHERE service_id = $1 ORDER BY 1) AS co
           FROM service WHERE id = $1`,
        [id],
      );
      expect(row).toEqual({
        status: 'PUBLISHED',
        version: 1,
        published: true,
        found: true,
        stats: 1,
        co: [departments[1], departments[2]].sort(),
      });
    });
  });

  it('a revision copies the current row, co-departments and guide to service_version, then bumps the version', async () => {
    await rolledBack(t.db, async (db) => {
      const id = await publish(db);
      await upsertServiceGuide(db, id, JSON.stringify({ steps: ['first'] }));
      expect(await lockServiceHead(db, id)).toEqual({
        status: ServiceStatus.PUBLISHED,
        departmentId: departments[0],
        version: 1,
      });
      const proposal = randomUUID();
      await copyServiceToVersion(db, id, proposal);
      const row = await updateServiceContent(db, id, content({ title: 'Revised title', coDepartmentIds: [] }));
      await replaceCoDepartments(db, id, []);
      expect(row).toMatchObject({ id, title: 'Revised title', version: 2 });
      const versions = await db.query(
        `SELECT version, title, co_department_ids::text[] AS co, guide, superseded_by_proposal_id AS proposal,
                valid_from = (SELECT published_at FROM service WHERE id = $1) AS "fromPublication", valid_to IS NOT NULL AS closed
           FROM service_version WHERE service_id = $1`,
        [id],
      );
      expect(versions).toEqual([
        {
          version: 1,
          title: '测试服务 writing test',
          co: [departments[1], departments[2]].sort(),
          guide: { steps: ['first'] },
          proposal,
          fromPublication: true,
          closed: true,
        },
      ]);
      // The next revision's version starts where the last one ended.
      await copyServiceToVersion(db, id, randomUUID());
      const [second] = await db.query(
        `SELECT v2.valid_from = v1.valid_to AS chained, v2.co_department_ids = '{}' AS "noCo"
           FROM service_version v1 JOIN service_version v2 ON v2.service_id = v1.service_id AND v2.version = 2
          WHERE v1.service_id = $1 AND v1.version = 1`,
        [id],
      );
      expect(second).toEqual({ chained: true, noCo: true });
    });
  });

  it('retires a PUBLISHED service only once, and the published catalogue version moves', async () => {
    await rolledBack(t.db, async (db) => {
      const id = await publish(db);
      const before = await publishedCatalogueVersion(db);
      expect(await markServiceRetired(db, id)).toMatchObject({ id, status: 'RETIRED' });
      expect(await markServiceRetired(db, id)).toBeUndefined();
      expect(await publishedCatalogueVersion(db)).not.toBe(before);
      expect(await lockServiceHead(db, randomUUID())).toBeUndefined();
    });
  });

  it('pages the catalogue with its total, and counts the total apart past the end', async () => {
    const criteria = {
      status: ServiceStatus.PUBLISHED,
      tsQuery: null,
      categoryId: null,
      districtCode: null,
      departmentId: departments[0],
      tags: null,
      orderBy: ServiceOrder.TITLE,
      columnsSql: SERVICE_COLUMNS,
    };
    const [{ total }] = await t.db.query(
      `SELECT count(*)::int AS total FROM service s WHERE s.status = 'PUBLISHED' AND (s.department_id = $1
         OR EXISTS (SELECT 1 FROM service_co_department c WHERE c.service_id = s.id AND c.department_id = $1))`,
      [departments[0]],
    );
    expect(total).toBeGreaterThan(1);
    const first = await servicePage(t.db.manager, { ...criteria, offset: 0, limit: 1, withCounters: true });
    expect(first.totalCount).toBe(total);
    expect(first.rows).toHaveLength(2);
    expect(first.rows[0].counters).toHaveLength(6);
    const past = await servicePage(t.db.manager, { ...criteria, offset: total, limit: 5, withCounters: false });
    expect(past).toEqual({ rows: [], totalCount: total });
  });

  it("reads a window of each department's published services, numbered within it, with their totals", async () => {
    const rows = await departmentServicesWindow(t.db.manager, departments, 1, 2);
    const totals = await departmentServiceTotals(t.db.manager, departments);
    for (const { departmentId, total } of totals) {
      const own = rows.filter((r) => r.departmentId === departmentId);
      expect(own.map((r) => r.rn)).toEqual([2, 3, 4].filter((rn) => rn <= total));
    }
  });
});
