// The read replica (DATABASE_READ_URL) against a real streaming replica that this test starts
// itself (test/helpers/pg-cluster.ts): catalogue, analytics and report reads go to it, a
// citizen's own data and a writer's next reads stay on the primary, a replica too far behind
// or gone is not read (with a log line and a metric) and is read again once back. PostgreSQL
// only: it runs when TEST_DATABASE_URL is set (the server programs must be installed).
import { randomUUID } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import pino from 'pino';
import { Client } from 'pg';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { Role, signToken } from '../../src/core/auth';
import { startScratchCluster, type ScratchCluster } from '../helpers/pg-cluster';

const describeOnPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
const SECRET = 'minsheng-test-secret-minsheng-test-secret';
const MAX_LAG_SECONDS = 8;

jest.setTimeout(180_000);

let cluster: ScratchCluster | undefined;
let app: App | undefined;
const logLines: { msg: string; reason?: string }[] = [];

async function primaryQuery<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: cluster!.primaryUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const client = (token?: string) =>
  new GraphQLClient(app!.server.url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const replicaStatus = () => app!.readRouting.replica!.status();

async function metricsText(): Promise<string> {
  return (await fetch(app!.server.url.replace(/\/graphql$/, '/metrics'))).text();
}

const SERVICE = `query($id: ID!) { service(id: $id) { title viewerVote stats { upvotes } } }`;
type ServiceAnswer = { service: { title: string; viewerVote: string | null; stats: { upvotes: number } } };
const TRENDS = `query($filter: DemandFilter!) { demandTrends(filter: $filter, granularity: DAY) { total } }`;

describeOnPostgres('read replica', () => {
  let serviceId: string;
  let renamedId: string;
  let planner: string;
  let trendFilter: { from: string; to: string };

  beforeAll(async () => {
    cluster = await startScratchCluster();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: SECRET,
      DATABASE_URL: cluster.primaryUrl,
      DATABASE_READ_URL: cluster.replicaUrl,
      DATABASE_READ_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS),
      DATABASE_READ_PROBE_SECONDS: '1',
      DB_CONNECT_TIMEOUT_MS: '2000',
    });
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    app = await startApp(config, logger);
    const rows = await primaryQuery<{ id: string }>(
      `SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 2`,
    );
    [serviceId, renamedId] = rows.map((r) => r.id);
    planner = await signToken({ sub: randomUUID(), role: Role.PLANNER }, SECRET);
    const now = Date.now();
    trendFilter = { from: new Date(now - 7 * 86_400_000).toISOString(), to: new Date(now + 86_400_000).toISOString() };
    await cluster.waitForReplay();
    await app.readRouting.replica!.probe();
    expect(replicaStatus().inUse).toBe(true);
  });

  afterAll(async () => {
    await app?.stop();
    await cluster?.stop();
  });

  it("reads the catalogue, trends and reports from the replica, and a citizen's own data and a writer's reads from the primary", async () => {
    const trendTotal = async () =>
      (
        (await client(planner).request(TRENDS, { filter: trendFilter })) as { demandTrends: { total: number }[] }
      ).demandTrends.reduce((sum, t) => sum + t.total, 0);
    const before = await trendTotal();
    const oldTitle = ((await client().request(SERVICE, { id: renamedId })) as ServiceAnswer).service.title;

    await cluster!.waitForReplay();
    await cluster!.pauseReplay();
    const citizenId = randomUUID();
    const citizen = client(await signToken({ sub: citizenId, role: Role.CITIZEN }, SECRET));
    await citizen.request(`mutation { updateMyProfile(input: { districtCode: "520103", birthYear: 1985 }) { id } }`);
    await citizen.request(`mutation($s: [SignalInput!]!) { recordSignals(signals: $s) { accepted } }`, {
      s: [{ kind: 'USE', serviceId, clientEventId: randomUUID() }],
    });
    const voted = (await citizen.request(
      `mutation($id: ID!) { vote(serviceId: $id, value: UP) { viewerVote service { stats { upvotes } } } }`,
      {
        id: serviceId,
      },
    )) as { vote: { viewerVote: string; service: { stats: { upvotes: number } } } };
    expect(voted.vote).toEqual({ viewerVote: 'UP', service: { stats: { upvotes: 1 } } });
    await primaryQuery(`UPDATE service SET title = title || ' (renamed)' WHERE id = $1`, [renamedId]);

    // Anyone else reads the replica, which has not replayed any of it.
    expect(((await client().request(SERVICE, { id: renamedId })) as ServiceAnswer).service.title).toBe(oldTitle);
    expect(((await client().request(SERVICE, { id: serviceId })) as ServiceAnswer).service.stats.upvotes).toBe(0);
    expect(await trendTotal()).toBe(before);
    await client(planner).request(
      `query($from: DateTime!, $to: DateTime!) { unmetDemand(from: $from, to: $to) { id } }`,
      trendFilter,
    );
    await client(planner).request(`{ catalogueReports(first: 5) { totalCount } }`);
    // The citizen who wrote reads their own writes: from the primary.
    const own = (await citizen.request(SERVICE, { id: serviceId })) as ServiceAnswer;
    expect(own.service).toMatchObject({ viewerVote: 'UP', stats: { upvotes: 1 } });
    expect(((await citizen.request(SERVICE, { id: renamedId })) as ServiceAnswer).service.title).toBe(
      `${oldTitle} (renamed)`,
    );
    // Their profile exists on the primary only, so far.
    expect(await citizen.request(`{ viewer { citizen { birthYear } } myRequests { totalCount } }`)).toEqual({
      viewer: { citizen: { birthYear: 1985 } },
      myRequests: { totalCount: 0 },
    });
    // Still the replica all along (not a fallback for lag).
    expect(replicaStatus()).toMatchObject({ inUse: true, fallbacks: { lagging: 0, unreachable: 0 } });
  });

  it('stops reading a replica further behind than the bound, says so, and reads it again once it has caught up', async () => {
    await waitUntil(
      'the replica to be out of use for lag',
      () => !replicaStatus().inUse,
      (MAX_LAG_SECONDS + 10) * 1000,
    );
    expect(replicaStatus().fallbacks.lagging).toBe(1);
    expect(
      logLines.some((l) => l.msg === 'read replica out of use: reads go to the primary' && l.reason === 'lagging'),
    ).toBe(true);
    expect(await metricsText()).toMatch(/minsheng_db_replica_fallbacks_total\{reason="lagging"\} 1/);
    expect(await metricsText()).toMatch(/minsheng_db_replica_in_use 0/);
    // Anonymous readers now get the primary's answer.
    expect(((await client().request(SERVICE, { id: serviceId })) as ServiceAnswer).service.stats.upvotes).toBe(1);

    await cluster!.resumeReplay();
    await waitUntil('the replica back in use', () => replicaStatus().inUse);
    expect(logLines.some((l) => l.msg === 'read replica in use')).toBe(true);
    expect(((await client().request(SERVICE, { id: serviceId })) as ServiceAnswer).service.stats.upvotes).toBe(1);
  });

  it('falls back to the primary when the replica goes away, with a log line and a metric, and returns to it', async () => {
    const page = `{ services(first: 3, orderBy: TITLE) { totalCount edges { node { id title } } } }`;
    const expected = await client().request(page);
    await cluster!.stopReplica();
    // The first read after it went away is answered (from the primary), not failed.
    expect(await client().request(page)).toEqual(expected);
    await waitUntil('the fallback to be recorded', () => replicaStatus().fallbacks.unreachable === 1);
    expect(replicaStatus().inUse).toBe(false);
    expect(
      logLines.some((l) => l.msg === 'read replica out of use: reads go to the primary' && l.reason === 'unreachable'),
    ).toBe(true);
    expect(await metricsText()).toMatch(/minsheng_db_replica_fallbacks_total\{reason="unreachable"\} 1/);
    const trends = await client(planner).request(TRENDS, { filter: trendFilter });
    expect(trends).toBeTruthy();

    await cluster!.startReplica();
    await waitUntil('the replica back in use', () => replicaStatus().inUse, 60_000);
    expect(await client().request(page)).toEqual(expected);
  });
});
