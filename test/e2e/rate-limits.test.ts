import { randomUUID } from 'node:crypto';
import net from 'node:net';
import pino from 'pino';
import { Role } from '../../src/core/auth';
import { startServer, type RunningServer } from '../../src/server';
import { codesOf, postJson } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Per-caller budgets: RATE_LIMITED with HTTP 429 and Retry-After, stricter for mutations. */
const QUERY = { query: '{ __typename }' };
const MUTATION = { query: 'mutation { submitRequest(input: { text: "医保" }) { unmet } }' };

describe('rate limits in memory', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      SEED_ON_START: 'false',
      RATE_LIMIT_POINTS: '5',
      RATE_LIMIT_MUTATION_POINTS: '2',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses an anonymous caller (by IP) past its budget with 429, Retry-After and RATE_LIMITED', async () => {
    for (let i = 0; i < 5; i += 1) expect((await postJson(t.url, QUERY)).status).toBe(200);
    const refused = await postJson(t.url, QUERY);
    expect(refused.status).toBe(429);
    expect(codesOf(refused)).toEqual(['RATE_LIMITED']);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json?.data).toBeUndefined();
  });

  it('keeps a separate budget per token subject, and a stricter one for mutations', async () => {
    const auth = { authorization: `Bearer ${await t.token(Role.CITIZEN)}` };
    expect((await postJson(t.url, QUERY, auth)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect(codesOf(await postJson(t.url, MUTATION, auth))).not.toContain('RATE_LIMITED');
    const refused = await postJson(t.url, MUTATION, auth);
    expect(refused.status).toBe(429);
    expect(codesOf(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    // Queries still have budget left (4 of 5 spent).
    expect((await postJson(t.url, QUERY, auth)).status).toBe(200);
  });

  it('charges an operation by its cost: one point, and one more per 1,000 objects it may return', async () => {
    const auth = { authorization: `Bearer ${await t.token(Role.CITIZEN)}` };
    // 100 services with their service points: 2,201 objects by the cost model, 3 points.
    const heavy = { query: '{ services(first: 100) { edges { node { id points { code } } } } }' };
    expect((await postJson(t.url, heavy, auth)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await postJson(t.url, QUERY, auth)).status).toBe(200);
    // 3 + 1 + 1 of 5 spent: a fourth operation is refused, where counting operations would allow two more.
    const refused = await postJson(t.url, QUERY, auth);
    expect(refused.status).toBe(429);
    expect(codesOf(refused)).toEqual(['RATE_LIMITED']);
  });

  it('charges documents refused at parsing or validation, once each, and refuses a caller sending only those', async () => {
    const auth = { authorization: `Bearer ${await t.token(Role.CITIZEN)}` };
    const unparseable = { query: '{ services(first: ' };
    const invalid = { query: '{ noSuchField }' };
    // One point each: a valid query, two parse failures, two validation failures (5 of 5).
    expect((await postJson(t.url, QUERY, auth)).status).toBe(200);
    for (const body of [unparseable, invalid, unparseable, invalid]) {
      const refused = await postJson(t.url, body, auth);
      expect(refused.status).toBe(400);
      expect(codesOf(refused)).toEqual([body === invalid ? 'GRAPHQL_VALIDATION_FAILED' : 'GRAPHQL_PARSE_FAILED']);
    }
    for (const body of [unparseable, invalid, QUERY]) {
      const limited = await postJson(t.url, body, auth);
      expect(limited.status).toBe(429);
      expect(codesOf(limited)).toEqual(['RATE_LIMITED']);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.json?.errors?.[0].extensions?.retryAfter).toBe(Number(limited.headers.get('retry-after')));
    }
  });
});

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

describe('rate limits in Redis (REDIS_URL)', () => {
  let a: TestApp | undefined;
  let b: RunningServer | undefined;
  let available = false;
  beforeAll(async () => {
    available = await reachable(redisUrl);
    if (!available) return;
    const env = {
      SEED_ON_START: 'false',
      REDIS_URL: redisUrl,
      RATE_LIMIT_KEY_PREFIX: `minsheng-test-${randomUUID()}`,
      RATE_LIMIT_POINTS: '4',
      RATE_LIMIT_MUTATION_POINTS: '4',
    };
    a = await startTestApp(env);
    // A second instance: its own HTTP server, Apollo and Redis client, on the same database.
    b = await startServer({ config: a.app.config, dataSource: a.db, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('shares one budget between two app instances', async () => {
    if (!available) {
      // CI starts Redis (.ci): there an unreachable Redis is a failure, not a pass.
      if (process.env.CI === 'true') throw new Error(`Redis not reachable at ${redisUrl} under CI=true`);
      console.warn(`Redis not reachable at ${redisUrl}: shared budget not tested (CI=true makes this a failure)`);
      return;
    }
    const auth = { authorization: `Bearer ${await a!.token(Role.CITIZEN)}` };
    expect((await postJson(a!.url, QUERY, auth)).status).toBe(200);
    expect((await postJson(b!.url, QUERY, auth)).status).toBe(200);
    expect((await postJson(a!.url, QUERY, auth)).status).toBe(200);
    expect((await postJson(b!.url, QUERY, auth)).status).toBe(200);
    const refusedA = await postJson(a!.url, QUERY, auth);
    const refusedB = await postJson(b!.url, QUERY, auth);
    expect([refusedA.status, refusedB.status]).toEqual([429, 429]);
    expect(codesOf(refusedB)).toEqual(['RATE_LIMITED']);
    expect(Number(refusedB.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
