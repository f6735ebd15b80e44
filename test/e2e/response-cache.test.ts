import { Role } from '../../src/graphql/auth';
import { postJson } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';

const PAGE = `query Page { services(first: 5, orderBy: TITLE) { totalCount edges { node { id title stats { upvotes } } } } }`;

let t: TestApp;
beforeAll(async () => {
  // Without the background jobs, whose statements (a report check at start) would be counted too.
  t = await startTestApp({ PUBLIC_CACHE_SECONDS: '30', REPORT_SCHEDULE: 'false', NEIGHBOUR_REFRESH_MINUTES: '0' });
});
afterAll(() => t.stop());

type Page = { data: { services: { totalCount: number; edges: { node: { id: string } }[] } } };

describe('public response cache', () => {
  it('answers a repeated anonymous query from the cache without touching the database', async () => {
    const first = await postJson(t.url, { query: PAGE });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('max-age=30, public');
    t.statements.reset();
    const second = await postJson(t.url, { query: PAGE });
    expect(t.statements.count).toBe(0);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get('age')).not.toBeNull();
  });

  it('never caches a caller with a token, and tells proxies not to store it', async () => {
    const token = await t.token(Role.CITIZEN);
    await postJson(t.url, { query: PAGE }, { authorization: `Bearer ${token}` });
    t.statements.reset();
    const again = await postJson(t.url, { query: PAGE }, { authorization: `Bearer ${token}` });
    expect(again.status).toBe(200);
    expect(t.statements.count).toBeGreaterThan(0);
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(again.headers.get('age')).toBeNull();
  });

  it('never caches errors or mutations', async () => {
    const bad = `query Bad { services(first: -1) { totalCount } }`;
    const first = await postJson(t.url, { query: bad });
    expect(first.json?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const second = await postJson(t.url, { query: bad });
    expect(second.json?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(second.headers.get('age')).toBeNull();
    const mutation = await postJson(t.url, { query: 'mutation { vote(serviceId: "x", value: UP) { upvotes } }' });
    expect(mutation.headers.get('age')).toBeNull();
  });

  it('sees a retired service within the catalogue version check, not after the cache time', async () => {
    const before = (await postJson(t.url, { query: PAGE })).json as unknown as Page;
    const retired = before.data.services.edges[0].node.id;
    const admin = t.client(await t.token(Role.ADMIN));
    await admin.request(`mutation R($id: ID!) { retireService(id: $id, reason: "no longer offered") { id } }`, { id: retired });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const after = (await postJson(t.url, { query: PAGE })).json as unknown as Page;
    expect(after.data.services.totalCount).toBe(before.data.services.totalCount - 1);
    expect(after.data.services.edges.map((e) => e.node.id)).not.toContain(retired);
  });
});
