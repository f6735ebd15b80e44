import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../src/db/database';
import { Role } from '../../src/core/auth';
import { codesOf, postJson, raw } from '../helpers/http';
import { adminQuery, startTestApp, type TestApp } from '../helpers/test-app';
import { forgetCatalogueSnapshot } from '../../src/modules/catalogue/catalogue-snapshot';

/** The database going away and coming back (DESIGN.md, "Security and reliability"). */
const QUERY = { query: '{ services(first: 1) { totalCount } }' };

describe('start-up waits for the database, boundedly', () => {
  it('retries DB_CONNECT_RETRIES times, then gives up with the error', async () => {
    const attempts: number[] = [];
    await expect(
      openDatabase({
        databaseUrl: 'postgres://postgres@127.0.0.1:1/nowhere',
        dataDir: null,
        poolSize: 1,
        connectRetries: 2,
        connectRetryDelayMs: 50,
        connectTimeoutMs: 500,
        onRetry: (attempt) => attempts.push(attempt),
      }),
    ).rejects.toThrow(/ECONNREFUSED|connect/);
    expect(attempts).toEqual([1, 2]);
  });
});

const baseUrl = process.env.TEST_DATABASE_URL;
const onPostgres = baseUrl ? describe : describe.skip;

onPostgres('PostgreSQL faults (connections killed, database refusing connections)', () => {
  let t: TestApp;
  let name: string;
  const admin = (sql: string) => adminQuery(baseUrl!, sql);
  const killConnections = () =>
    admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
    );
  const readyz = () => raw(new URL('/readyz', t.url).toString());

  beforeAll(async () => {
    t = await startTestApp({ SEED_ON_START: 'false', DB_CONNECT_TIMEOUT_MS: '1000', READY_TIMEOUT_MS: '1000' });
    [{ name }] = await t.db.query('SELECT current_database() AS name');
  });
  afterAll(async () => {
    if (name) await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await t?.stop();
  });

  it('serves again right after its connections are killed, without a restart', async () => {
    expect((await postJson(t.url, QUERY)).status).toBe(200);
    await killConnections();
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await postJson(t.url, QUERY));
    // Each request is answered (a hang fails on the test's timeout): with the data or, caught on a
    // dying connection, with the clear message; failures come first, and once served it stays so.
    for (const response of results) {
      if (response.json?.errors) {
        expect(codesOf(response)).toEqual(['INTERNAL_SERVER_ERROR']);
        expect(response.json.errors[0].message).toBe('database unavailable');
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
      } else {
        expect(response.status).toBe(200);
        expect(response.json?.data).toEqual({ services: { totalCount: 0 } });
      }
    }
    const served = results.map((response) => !response.json?.errors);
    expect(served).toEqual([...served].sort((a, b) => Number(a) - Number(b)));
    expect(served.at(-1)).toBe(true);
    expect((await readyz()).status).toBe(200);
  });

  it('fails fast with "database unavailable" and /readyz red while the database refuses, then recovers', async () => {
    await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await killConnections();
    try {
      // Answered while the database still refuses (not held until it is back).
      const response = await postJson(t.url, QUERY);
      expect(codesOf(response)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(response.json?.errors?.[0].message).toBe('database unavailable');
      // An outage is not an answer: load balancers and clients see 503 and when to retry.
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.text).not.toMatch(/accepting connections|minsheng_test|SELECT/);
      const vote = 'mutation { vote(serviceId: "00000000-0000-4000-8000-000000000000", value: UP) { viewerVote } }';
      const citizen = { authorization: `Bearer ${await t.token(Role.CITIZEN)}` };
      const mutation = await postJson(t.url, { query: vote }, citizen);
      const answer = [mutation.status, mutation.headers.get('retry-after'), mutation.json?.errors?.[0].message];
      expect(answer).toEqual([503, '5', 'database unavailable']);
      // A token whose dept the process has not seen is checked against the database before
      // the request's context exists (a 500 without Retry-After before).
      const staff = { authorization: `Bearer ${await t.token(Role.STAFF, { dept: randomUUID() })}` };
      const unchecked = await postJson(t.url, { query: '{ viewer { role } }' }, staff);
      const refusal = [unchecked.status, unchecked.headers.get('retry-after'), unchecked.json?.errors?.[0].message];
      expect(refusal).toEqual([503, '5', 'database unavailable']);
      const report = await raw(new URL(`/reports/${randomUUID()}.md`, t.url).toString(), {
        headers: { authorization: `Bearer ${await t.token(Role.PLANNER)}` },
      });
      expect([report.status, report.headers.get('retry-after')]).toEqual([503, '5']);
      const ready = await readyz();
      expect(ready.status).toBe(503);
      expect(ready.json).toEqual({ status: 'unavailable', checks: { database: 'down' } });
      expect((await raw(new URL('/healthz', t.url).toString())).status).toBe(200);
    } finally {
      await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
    const after = await postJson(t.url, QUERY);
    expect(after.json?.data).toEqual({ services: { totalCount: 0 } });
    expect((await readyz()).status).toBe(200);
  });

  it('answers an anonymous query 503 with the public response cache on (a 500 before: its key reads the catalogue)', async () => {
    // Production serves anonymous queries through the response cache (PUBLIC_CACHE_SECONDS 5),
    // whose key holds the catalogue's version, read from the database.
    const cached = await startTestApp({
      SEED_ON_START: 'false',
      PUBLIC_CACHE_SECONDS: '5',
      DB_CONNECT_TIMEOUT_MS: '1000',
    });
    const [{ name: cachedName }] = await cached.db.query('SELECT current_database() AS name');
    const search = { query: '{ services(first: 2, filter: { search: "社保卡" }) { totalCount } }' };
    try {
      expect((await postJson(cached.url, search)).json?.data).toEqual({ services: { totalCount: 0 } });
      forgetCatalogueSnapshot(cached.db);
      await admin(`ALTER DATABASE ${cachedName} ALLOW_CONNECTIONS false`);
      await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${cachedName}'`);
      for (const request of [QUERY, search]) {
        const response = await postJson(cached.url, request);
        const answer = [response.status, response.headers.get('retry-after'), response.json?.errors?.[0].message];
        expect(answer).toEqual([503, '5', 'database unavailable']);
      }
      await admin(`ALTER DATABASE ${cachedName} ALLOW_CONNECTIONS true`);
      // Back: answered again.
      const again = await postJson(cached.url, QUERY);
      expect([again.status, again.json?.data]).toEqual([200, { services: { totalCount: 0 } }]);
    } finally {
      await admin(`ALTER DATABASE ${cachedName} ALLOW_CONNECTIONS true`);
      await cached.stop();
    }
  });
});
