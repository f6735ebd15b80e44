import { Role } from '../../src/core/auth';
import { MAX_SEARCH_TERMS, MAX_TEXT_LENGTH } from '../../src/core/limits';
import {
  CategoriesDocument,
  DepartmentDocument,
  DepartmentsDocument,
  DistrictsDocument,
  ServiceDocument,
  ServicesDocument,
} from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

const anonymous = () => t.client();
/** The ids of the first ten services a search finds, in order. */
const searchIds = async (search: string) =>
  (await anonymous().request(ServicesDocument, { filter: { search }, first: 10 })).services.edges.map((e) => e.node.id);

describe('reference data', () => {
  it("lists Guiyang's ten county-level divisions with their codes", async () => {
    const { districts } = await anonymous().request(DistrictsDocument);
    expect(districts).toHaveLength(10);
    expect(districts.map((d) => d.code)).toEqual(
      expect.arrayContaining([
        '520102',
        '520103',
        '520111',
        '520112',
        '520113',
        '520115',
        '520121',
        '520122',
        '520123',
        '520181',
      ]),
    );
    expect(districts.find((d) => d.code === '520115')).toMatchObject({
      name: '观山湖区',
      nameEn: 'Guanshanhu District',
    });
  });

  it('lists categories in two levels over the three kinds', async () => {
    const { categories } = await anonymous().request(CategoriesDocument);
    const roots = categories.filter((c) => !c.parent);
    expect(roots.map((r) => r.kind).sort()).toEqual(['COMMUNITY', 'GOVERNMENT', 'LIFE']);
    expect(categories.length).toBeGreaterThanOrEqual(12);
    for (const child of categories.filter((c) => c.parent)) {
      expect(roots.map((r) => r.code)).toContain(child.parent!.code);
    }
  });

  it('lists at least 30 departments, children linked to parents', async () => {
    const { departments } = await anonymous().request(DepartmentsDocument);
    expect(departments.length).toBeGreaterThanOrEqual(30);
    const ids = new Set(departments.map((d) => d.id));
    for (const d of departments.filter((d) => d.parent)) expect(ids.has(d.parent!.id)).toBe(true);
  });
});

describe('services', () => {
  it('pages through the whole catalogue with cursors and a stable totalCount', async () => {
    const seen = new Set<string>();
    let after: string | null | undefined;
    let total = 0;
    for (;;) {
      const { services } = await anonymous().request(ServicesDocument, { first: 100, after, orderBy: 'TITLE' });
      total = services.totalCount;
      services.edges.forEach((e) => seen.add(e.node.id));
      if (!services.pageInfo.hasNextPage) break;
      after = services.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThanOrEqual(200);
    expect(seen.size).toBe(total);
  });

  it('orders by TITLE, NEWEST, VOTE_SCORE and POPULARITY', async () => {
    for (const orderBy of ['TITLE', 'NEWEST', 'VOTE_SCORE', 'POPULARITY', 'RELEVANCE'] as const) {
      const { services } = await anonymous().request(ServicesDocument, { first: 30, orderBy });
      expect(services.edges).toHaveLength(30);
    }
    const { services } = await anonymous().request(ServicesDocument, { first: 50, orderBy: 'TITLE' });
    const titles = services.edges.map((e) => e.node.title);
    expect([...titles].sort()).toEqual(titles);
  });

  it('refuses page sizes over 100 or under 0, and cursors it did not issue', async () => {
    const tooMany = await expectError(anonymous().request(ServicesDocument, { first: 101 }), 'BAD_USER_INPUT');
    expect(tooMany.extensions?.validationErrors?.[0].property).toBe('first');
    await expectError(anonymous().request(ServicesDocument, { first: -1 }), 'BAD_USER_INPUT');
    await expectError(anonymous().request(ServicesDocument, { after: 'bm90LWEtY3Vyc29y' }), 'BAD_USER_INPUT');
    const { services } = await anonymous().request(ServicesDocument, { first: 0 });
    expect(services.edges).toEqual([]);
    expect(services.totalCount).toBeGreaterThan(0);
  });

  it('finds medical-insurance reimbursement for 醫保報銷 (traditional script)', async () => {
    const { services } = await anonymous().request(ServicesDocument, { filter: { search: '醫保報銷' }, first: 5 });
    expect(services.edges.length).toBeGreaterThan(0);
    const top = services.edges[0].node;
    expect(top.category.code).toBe('gov.medical-insurance');
    expect(top.title).toMatch(/报销|结算/);
    for (const edge of services.edges.slice(0, 3)) expect(edge.node.category.code).toBe('gov.medical-insurance');
  });

  it('finds the housing provident fund services for "housing fund"', async () => {
    const { services } = await anonymous().request(ServicesDocument, { filter: { search: 'housing fund' }, first: 5 });
    expect(services.edges.length).toBeGreaterThanOrEqual(3);
    for (const edge of services.edges.slice(0, 3)) expect(edge.node.category.code).toBe('gov.housing-fund');
  });

  it('reads a search that finds nothing as typed in the catalogue’s words: 社宝卡, gongjijin, sbk', async () => {
    const card = await searchIds('社保卡');
    expect(card.length).toBeGreaterThan(0);
    expect(await searchIds('社宝卡')).toEqual(card);
    expect(await searchIds('sbk')).toEqual(card);
    const fund = await searchIds('公积金');
    expect(fund.length).toBeGreaterThan(0);
    expect(await searchIds('gongjijin')).toEqual(fund);
    // A search that finds services as typed is searched as typed; words of no service still find none.
    expect(await searchIds('housing fund')).not.toEqual([]);
    expect(await searchIds('xqzzv qqxx')).toEqual([]);
  });

  it('gives the same results in simplified and traditional script and full-width text', async () => {
    const simplified = await searchIds('公积金提取');
    expect(simplified.length).toBeGreaterThan(0);
    expect(await searchIds('公積金提取')).toEqual(simplified);
    expect(await searchIds('公积金　提取')).toEqual(simplified);
  });

  it('searches the first MAX_SEARCH_TERMS words of a long search only', async () => {
    // Words no service has: each is a term of the query, and none matches.
    const letter = (n: number) => String.fromCharCode(97 + (n % 26));
    const nonsense = (count: number) =>
      Array.from({ length: count }, (_, i) => `xq${letter(i)}${letter(Math.floor(i / 26))}z`);
    const simplified = await searchIds('公积金提取');
    expect(simplified.length).toBeGreaterThan(0);
    // Words past the limit change nothing; a search's own words within it are searched as before.
    expect(await searchIds(`公积金提取 ${nonsense(100).join(' ')}`)).toEqual(simplified);
    expect(await searchIds(`${nonsense(MAX_SEARCH_TERMS).join(' ')} 公积金提取`)).toEqual([]);
  });

  it('answers a search of 2,000 different characters as fast as a short one (it took seconds)', async () => {
    // 2,000 distinct CJK characters, one query term each before the limit: 2.7 s on PGlite and
    // 17 s on PostgreSQL, one anonymous request.
    const text = Array.from({ length: MAX_TEXT_LENGTH }, (_, i) =>
      String.fromCharCode(0x4e00 + ((i * 7919) % 20000)),
    ).join('');
    const started = performance.now();
    const { services } = await anonymous().request(ServicesDocument, { filter: { search: text }, first: 5 });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(services.edges.length).toBeLessThanOrEqual(5);
  });

  it('puts the best text match first: a service searched by its own title ranks first', async () => {
    const rows: { id: string; title: string }[] = await t.db.query(
      `SELECT id, title FROM service ORDER BY md5(code) LIMIT 20`,
    );
    let first = 0;
    for (const { id, title } of rows) {
      const { services } = await anonymous().request(ServicesDocument, { filter: { search: title }, first: 3 });
      if (services.edges[0]?.node.id === id) first += 1;
    }
    expect(first).toBeGreaterThanOrEqual(18);
  });

  it('filters by category (a parent includes its children), district, department and tags', async () => {
    const gov = await anonymous().request(ServicesDocument, { filter: { categoryCode: 'gov' }, first: 100 });
    const medical = await anonymous().request(ServicesDocument, {
      filter: { categoryCode: 'gov.medical-insurance' },
      first: 100,
    });
    expect(gov.services.totalCount).toBeGreaterThan(medical.services.totalCount);
    expect(medical.services.edges.every((e) => e.node.category.code === 'gov.medical-insurance')).toBe(true);
    expect(gov.services.edges.every((e) => e.node.category.parent?.code === 'gov')).toBe(true);

    const huaxi = await anonymous().request(ServicesDocument, { filter: { districtCode: '520111' }, first: 100 });
    for (const edge of huaxi.services.edges) {
      const districts = edge.node.eligibility.districts.map((d) => d.code);
      expect(districts.length === 0 || districts.includes('520111')).toBe(true);
    }
    const all = await anonymous().request(ServicesDocument, { first: 0 });
    expect(huaxi.services.totalCount).toBeLessThan(all.services.totalCount);

    const [{ id: departmentId, led }] = await t.db.query(
      `SELECT department_id AS id, count(*)::int AS led FROM service GROUP BY department_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const byDepartment = await anonymous().request(ServicesDocument, { filter: { departmentId }, first: 100 });
    expect(byDepartment.services.totalCount).toBeGreaterThanOrEqual(led);

    const [{ tag }] = await t.db.query(`SELECT tags[1] AS tag FROM service ORDER BY code LIMIT 1`);
    const tagged = await anonymous().request(ServicesDocument, { filter: { tags: [tag] }, first: 100 });
    expect(tagged.services.totalCount).toBeGreaterThan(0);
    expect(tagged.services.edges.every((e) => e.node.tags.includes(tag))).toBe(true);
  });

  it('answers NOT_FOUND for unknown filter codes', async () => {
    await expectError(anonymous().request(ServicesDocument, { filter: { categoryCode: 'nope' } }), 'NOT_FOUND');
    await expectError(anonymous().request(ServicesDocument, { filter: { districtCode: '123456' } }), 'NOT_FOUND');
  });

  it('shows retired services to staff only', async () => {
    const [{ id }] = await t.db.query(`SELECT id FROM service ORDER BY code DESC LIMIT 1`);
    await t.db.query(`UPDATE service SET status = 'RETIRED', retired_at = now() WHERE id = $1`, [id]);
    try {
      expect((await anonymous().request(ServiceDocument, { id })).service).toBeNull();
      await expectError(anonymous().request(ServicesDocument, { filter: { status: 'RETIRED' } }), 'FORBIDDEN');
      const staff = t.client(await t.token(Role.STAFF));
      expect((await staff.request(ServiceDocument, { id })).service?.status).toBe('RETIRED');
      const retired = await staff.request(ServicesDocument, { filter: { status: 'RETIRED' } });
      expect(retired.services.edges.map((e) => e.node.id)).toEqual([id]);
      const published = await anonymous().request(ServicesDocument, { first: 100, orderBy: 'TITLE' });
      expect(published.services.edges.map((e) => e.node.id)).not.toContain(id);
    } finally {
      await t.db.query(`UPDATE service SET status = 'PUBLISHED', retired_at = NULL WHERE id = $1`, [id]);
    }
  });

  it('reads one service with its relations, or null for an unknown id', async () => {
    const [{ id }] = await t.db.query(
      `SELECT s.id FROM service s JOIN service_co_department c ON c.service_id = s.id ORDER BY s.code LIMIT 1`,
    );
    const { service } = await anonymous().request(ServiceDocument, { id });
    expect(service).toMatchObject({ id, status: 'PUBLISHED', version: 1, viewerVote: null });
    expect(service!.coDepartments.length).toBeGreaterThan(0);
    expect(service!.channels.length).toBeGreaterThan(0);
    expect(service!.titleEn).toBeTruthy();
    expect(
      (await anonymous().request(ServiceDocument, { id: '00000000-0000-4000-8000-000000000000' })).service,
    ).toBeNull();
    expect((await anonymous().request(ServiceDocument, { id: 'nonsense' })).service).toBeNull();
  });
  it('answers a page that selects a few fields as the whole page does, and a whole service read beside it stays whole', async () => {
    const whole = await anonymous().request(ServicesDocument, { first: 5, orderBy: 'TITLE' });
    const light = (await anonymous().request(
      `query { services(first: 5, orderBy: TITLE) { edges { node { id title stats { uses30d } eligibility { minAge districts { code } } } } } }`,
    )) as { services: { edges: { node: { id: string; title: string; eligibility: { minAge: number | null } } }[] } };
    expect(light.services.edges.map((e) => [e.node.id, e.node.title])).toEqual(
      whole.services.edges.map((e) => [e.node.id, e.node.title]),
    );
    const id = light.services.edges[0].node.id;
    const [row] = await t.db.query(
      'SELECT min_age AS "minAge", published_at AS "publishedAt", tags FROM service WHERE id = $1',
      [id],
    );
    expect(light.services.edges[0].node.eligibility.minAge).toBe(row.minAge);
    // The page read few columns; the service read in the same request must not be those partial rows.
    const both = (await anonymous().request(
      `query($id: ID!) { services(first: 5, orderBy: TITLE) { edges { node { id } } } service(id: $id) { id tags publishedAt channels } }`,
      { id },
    )) as { service: { tags: string[]; publishedAt: string | null; channels: string[] } };
    expect(both.service.tags).toEqual(row.tags);
    expect(both.service.publishedAt).toBe(row.publishedAt === null ? null : new Date(row.publishedAt).toISOString());
    expect(both.service.channels.length).toBeGreaterThan(0);
  });

  it("reads a page's stats in its own statement, in the page's order, as each service's own stats read them", async () => {
    const [{ id: votedId }] = await t.db.query(
      `SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY title, id LIMIT 1 OFFSET 3`,
    );
    const citizen = t.client(await t.token(Role.CITIZEN));
    await citizen.request(`mutation { updateMyProfile(input: { districtCode: "520103", birthYear: 1980 }) { id } }`);
    await citizen.request(`mutation($id: ID!) { vote(serviceId: $id, value: UP) { viewerVote } }`, { id: votedId });
    for (const orderBy of ['TITLE', 'VOTE_SCORE', 'POPULARITY']) {
      const page = (await anonymous().request(
        `query($o: ServiceOrder) { services(first: 6, after: null, orderBy: $o) { edges { node { id stats { upvotes downvotes ratingCount ratingAverage uses30d views30d } } } } }`,
        { o: orderBy },
      )) as { services: { edges: { node: { id: string; stats: Record<string, unknown> } }[] } };
      const ids = page.services.edges.map((e) => e.node.id);
      const plain = await anonymous().request(ServicesDocument, { first: 6, orderBy: orderBy as 'TITLE' });
      expect(ids).toEqual(plain.services.edges.map((e) => e.node.id));
      for (const { node } of page.services.edges) {
        const { service } = await anonymous().request(ServiceDocument, { id: node.id });
        expect(node.stats).toEqual({
          upvotes: service!.stats.upvotes,
          downvotes: service!.stats.downvotes,
          ratingCount: service!.stats.ratingCount,
          ratingAverage: service!.stats.ratingAverage,
          uses30d: service!.stats.uses30d,
          views30d: service!.stats.views30d,
        });
      }
      if (orderBy === 'TITLE') expect(page.services.edges[3].node.stats.upvotes).toBe(1);
    }
  });
});

describe('department', () => {
  it('pages through the services it leads', async () => {
    const [{ id, led }] = await t.db.query(
      `SELECT department_id AS id, count(*)::int AS led FROM service GROUP BY department_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const first = (await anonymous().request(DepartmentDocument, { id, first: 2 })).department!;
    expect(first.services.totalCount).toBe(led);
    expect(first.services.edges).toHaveLength(2);
    expect(first.services.pageInfo.hasNextPage).toBe(true);
    const next = (
      await anonymous().request(DepartmentDocument, { id, first: 100, after: first.services.pageInfo.endCursor })
    ).department!;
    expect(next.services.edges).toHaveLength(led - 2);
    expect(next.services.edges.every((e) => e.node.department.id === id)).toBe(true);
    expect(
      (await anonymous().request(DepartmentDocument, { id: '00000000-0000-4000-8000-000000000000' })).department,
    ).toBeNull();
  });
});
