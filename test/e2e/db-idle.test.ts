import type { Pool, PoolClient } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { RecommendedDocument, ServicesDocument, VoteDocument } from '../generated/graphql';
import { newCitizen, publishedServiceIds, type TestCitizen } from '../helpers/fixtures';
import { raw } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Pooled connections closed for idleness, or replaced after an error, and what follows: on the
 * embedded database every connection shares PGlite's one session, so a new connection must not
 * meet the named prepared statements (or the open transaction) of the one before it.
 */
let t: TestApp;
let citizen: TestCitizen;
let services: string[];
const pool = () => (t.db.driver as PostgresDriver).master as Pool;

beforeAll(async () => {
  t = await startTestApp({ DB_IDLE_TIMEOUT_MS: '300' });
  citizen = await newCitizen(t);
  services = await publishedServiceIds(t, 3);
});
afterAll(async () => {
  await t?.stop();
});

/** A search, a citizen's ranking and a vote: each uses named prepared statements. */
async function searchRankAndVote(value: 'UP' | 'DOWN'): Promise<void> {
  const found = await t.client().request(ServicesDocument, { filter: { search: '社保卡' }, first: 5 });
  expect(found.services.totalCount).toBeGreaterThan(0);
  const ranked = await citizen.client.request(RecommendedDocument, { first: 5 });
  expect(ranked.recommendedServices.edges.length).toBeGreaterThan(0);
  const voted = await citizen.client.request(VoteDocument, { serviceId: services[0], value });
  expect(voted.vote.viewerVote).toBe(value);
}

async function readyzStatus(): Promise<number> {
  return (await raw(new URL('/readyz', t.url).toString())).status;
}

/** Until the pool has closed every connection (it closes them after DB_IDLE_TIMEOUT_MS). */
async function idlePastTimeout(): Promise<void> {
  for (let waited = 0; pool().totalCount > 0; waited += 100) {
    if (waited > 10_000) throw new Error(`the pool still holds ${pool().totalCount} connections`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('serves searches, rankings and votes after the pool closed its idle connections', async () => {
  await searchRankAndVote('UP');
  await searchRankAndVote('DOWN');
  expect(await readyzStatus()).toBe(200);
  for (const value of ['UP', 'DOWN'] as const) {
    await idlePastTimeout();
    expect(await readyzStatus()).toBe(200);
    await idlePastTimeout();
    await searchRankAndVote(value);
  }
});

it('serves prepared queries after a query error', async () => {
  await searchRankAndVote('UP');
  await expect(t.db.query('SELECT 1 / 0')).rejects.toThrow(/division by zero/);
  await searchRankAndVote('DOWN');
  expect(await readyzStatus()).toBe(200);
});

it('serves prepared queries after the pool replaced a failed connection, its transaction rolled back', async () => {
  await searchRankAndVote('UP');
  // What pg-pool does with a client whose connection reported an error: it closes it and
  // opens another for the next caller.
  const client: PoolClient = await pool().connect();
  await client.query('BEGIN');
  await client.query(`UPDATE service SET title = 'left behind' WHERE id = $1`, [services[1]]);
  await client.query({ name: 'left_behind', text: 'SELECT 1' });
  client.release(new Error('connection failed'));

  await searchRankAndVote('DOWN');
  expect(await readyzStatus()).toBe(200);
  const [{ title }] = await t.db.query('SELECT title FROM service WHERE id = $1', [services[1]]);
  expect(title).not.toBe('left behind');
  const [{ open }] = await t.db.query(
    `SELECT count(*)::int AS open FROM pg_prepared_statements WHERE name = 'left_behind'`,
  );
  expect(open).toBe(0);
});
