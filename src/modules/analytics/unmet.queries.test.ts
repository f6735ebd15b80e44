import { districtCodes, insertCitizen, openTestDatabase, type TestDatabase } from '../../../test/helpers/test-database';
import { readUnmetRequests, unmetRequestsStatement } from './unmet.queries';

let t: TestDatabase;
let districts: string[];
const now = new Date('2026-12-01T00:00:00Z');
const day = 86_400_000;
const window = { from: new Date(now.getTime() - 30 * day), to: now };

beforeAll(async () => {
  t = await openTestDatabase();
  const citizens = [await insertCitizen(t.db.manager), await insertCitizen(t.db.manager)];
  districts = await districtCodes(t.db, 2);
  // 40,000 signals over 139 days, as a city's log is: mostly views, a few requests and searches,
  // one in fifty an unmet request and one in seventy an unmet search. Some texts are null and some
  // requests met, so that every condition of the statement is needed.
  await t.db.query(
    `INSERT INTO signal (citizen_id, kind, district_code, occurred_at, text, unmet)
     SELECT CASE WHEN g % 2 = 0 THEN $1::uuid ELSE $2::uuid END,
            (CASE WHEN g % 50 IN (0, 1) THEN 'REQUEST' WHEN g % 70 IN (3, 4) THEN 'SEARCH' ELSE 'VIEW' END)::signal_kind,
            CASE WHEN g % 3 = 0 THEN $3 ELSE $4 END,
            $5::timestamptz - g * interval '5 minutes',
            CASE WHEN g % 50 IN (0, 1) OR g % 70 IN (3, 4) THEN CASE WHEN g % 7 = 0 THEN NULL ELSE 'text ' || (g % 13) END END,
            CASE WHEN g % 50 = 0 OR g % 70 = 3 THEN true WHEN g % 50 = 1 OR g % 70 = 4 THEN false END
       FROM generate_series(1, 40000) g`,
    [citizens[0], citizens[1], districts[0], districts[1], now.toISOString()],
  );
  await t.db.query('ANALYZE signal');
});
afterAll(async () => {
  await t?.close();
});

/** The same rows as the statement reads, by the plainest wording of the condition. */
async function plainly(districtCode: string | null): Promise<unknown[]> {
  return t.db.query(
    `SELECT citizen_id AS "citizenId", text, district_code AS "districtCode", category_id AS "categoryId",
            matched_service_id AS "matchedServiceId", match_score AS "matchScore", kind, need_code AS "needCode"
       FROM signal
      WHERE kind IN ('REQUEST', 'SEARCH') AND unmet AND text IS NOT NULL AND occurred_at >= $1 AND occurred_at < $2
        AND ($3::text IS NULL OR district_code = $3)
      ORDER BY occurred_at, id`,
    [window.from.toISOString(), window.to.toISOString(), districtCode],
  );
}

/** Every node of an EXPLAIN (FORMAT JSON) plan. */
function planNodes(plan: Record<string, unknown>): Record<string, unknown>[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [plan, ...children.flatMap(planNodes)];
}

describe('readUnmetRequests', () => {
  it('reads the unmet requests and searches with a text of the window, oldest first, of a district or all', async () => {
    for (const districtCode of [null, districts[0]]) {
      const rows = await readUnmetRequests(t.db.manager, window.from, window.to, districtCode);
      expect(rows.length).toBeGreaterThan(districtCode ? 50 : 150);
      expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['REQUEST', 'SEARCH']));
      expect(rows).toEqual(await plainly(districtCode));
    }
  });

  // PGlite is PostgreSQL 17 built for WebAssembly, with the same planner: the plan is checked on both.
  it.each([null, 'district'])(
    'reads the window through both partial indexes of unmet signals, not through every signal (%s)',
    async (district) => {
      const { sql, params } = unmetRequestsStatement(window.from, window.to, district ? districts[0] : null);
      const [{ 'QUERY PLAN': plan }] = await t.db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const nodes = planNodes((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan);
      const indexes = nodes.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []));
      // The signal table is partitioned by month: each month's index is named after its partition.
      const parents: { name: string }[] = await t.db.query(
        'SELECT DISTINCT pg_partition_root(i::regclass)::text AS name FROM unnest($1::text[]) i ORDER BY 1',
        [indexes],
      );
      expect(parents.map((p) => p.name)).toEqual(['signal_unmet_request_idx', 'signal_unmet_search_idx']);
      // An empty month (the ones ahead) costs nothing to scan, and PostgreSQL plans it so.
      const filled: { name: string }[] = await t.db.query(
        'SELECT DISTINCT tableoid::regclass::text AS name FROM signal',
      );
      const scanned = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
      expect(scanned.filter((name) => filled.some((f) => f.name === name))).toEqual([]);
    },
  );
});
