import { Role } from '../../src/core/auth';
import { countRows, newCitizen, publishedServiceIds } from '../helpers/fixtures';
import { codesOf, postJson } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';

const PAGE = `query Page { services(first: 5, orderBy: TITLE) { totalCount edges { node { id title stats { upvotes } } } } }`;

let t: TestApp;
beforeAll(async () => {
  // Without the background jobs, whose statements (a report check at start) would be counted too.
  t = await startTestApp({ PUBLIC_CACHE_SECONDS: '30', REPORT_SCHEDULE: 'false', NEIGHBOUR_REFRESH_MINUTES: '0' });
});
afterAll(() => t.stop());

const VOTE = `mutation Vote($serviceId: ID!) { vote(serviceId: $serviceId, value: UP) { viewerVote } }`;
const CLEAR = `mutation Clear($serviceId: ID!) { vote(serviceId: $serviceId, value: null) { viewerVote } }`;
type Voted = { data: { vote: { viewerVote: string | null } } };

type Page = { data: { services: { totalCount: number; edges: { node: { id: string } }[] } } };

describe('public response cache', () => {
  it('answers a repeated anonymous query from the cache without touching the database', async () => {
    const first = await postJson(t.url, { query: PAGE });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('max-age=30, public');
    t.statements.reset();
    const second = await postJson(t.url, { query: PAGE });
    // On a slow machine the 2 s catalogue version check may fall between the two calls; it
    // is the one statement a cached answer may cost, and it reads no page data.
    const versionCheck = /^SELECT count\(\*\) \|\| ':'/;
    expect(t.statements.statements.filter((sql) => !versionCheck.test(sql.trim()))).toEqual([]);
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

  it('never caches errors', async () => {
    const bad = `query Bad { services(first: -1) { totalCount } }`;
    const first = await postJson(t.url, { query: bad });
    expect(first.json?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const second = await postJson(t.url, { query: bad });
    expect(second.json?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(second.headers.get('age')).toBeNull();
  });

  it('never answers a mutation from the cache: each one reaches the database and takes effect', async () => {
    // Every mutation needs a token, so an anonymous one is refused at execution (not at
    // validation: the document is valid), and a citizen's runs each time it is sent.
    const [serviceId] = await publishedServiceIds(t, 1);
    const vote = { query: VOTE, variables: { serviceId } };
    const anonymous = await postJson(t.url, vote);
    expect(codesOf(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    const citizen = await newCitizen(t);
    const auth = { authorization: `Bearer ${citizen.token}` };
    for (let round = 0; round < 2; round++) {
      t.statements.reset();
      const voted = await postJson(t.url, vote, auth);
      expect(voted.json?.errors).toBeUndefined();
      expect(t.statements.count).toBeGreaterThan(0);
      expect(voted.headers.get('age')).toBeNull();
      expect(voted.headers.get('cache-control')).toBe('no-store');
      // The vote and its clearing are both seen in the table, in each round: nothing replayed.
      expect((voted.json as unknown as Voted).data.vote.viewerVote).toBe('UP');
      expect(await countRows(t, `vote WHERE service_id = $1`, [serviceId])).toBe(1);
      const cleared = await postJson(t.url, { query: CLEAR, variables: { serviceId } }, auth);
      expect((cleared.json as unknown as Voted).data.vote.viewerVote).toBeNull();
      expect(await countRows(t, `vote WHERE service_id = $1`, [serviceId])).toBe(0);
    }
  });

  it('sees a retired service within the catalogue version check, not after the cache time', async () => {
    const before = (await postJson(t.url, { query: PAGE })).json as unknown as Page;
    const retired = before.data.services.edges[0].node.id;
    const admin = t.client(await t.token(Role.ADMIN));
    await admin.request(`mutation R($id: ID!) { retireService(id: $id, reason: "no longer offered") { id } }`, {
      id: retired,
    });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const after = (await postJson(t.url, { query: PAGE })).json as unknown as Page;
    expect(after.data.services.totalCount).toBe(before.data.services.totalCount - 1);
    expect(after.data.services.edges.map((e) => e.node.id)).not.toContain(retired);
  });
});
