import http from 'node:http';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { Role, signToken } from '../../src/core/auth';
import { rebuildDemandRollups } from '../../src/modules/analytics/rollups';
import { drainRollups } from '../../src/modules/signals/rollup-worker';
import { postJson, type RawResponse } from '../helpers/http';
import { readDemandRollups } from '../helpers/rollups';
import {
  createProcessDatabase,
  startServerProcess,
  type ProcessDatabase,
  type ServerProcess,
} from '../helpers/server-process';
import { TEST_JWT_SECRET } from '../helpers/test-app';

/**
 * Two server processes on one PostgreSQL database under concurrent load: votes and signal
 * counts stay exact. And WEB_CONCURRENCY=2: two workers answer on one port.
 */
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
if (!process.env.TEST_DATABASE_URL)
  console.warn('two-processes skipped: needs PostgreSQL (TEST_DATABASE_URL); the embedded database serves one process');

const VOTE =
  'mutation ($serviceId: ID!, $value: VoteValue) { vote(serviceId: $serviceId, value: $value) { viewerVote } }';
const RECORD = 'mutation ($signals: [SignalInput!]!) { recordSignals(signals: $signals) { accepted duplicates } }';
const STATS = 'query ($id: ID!) { service(id: $id) { stats { upvotes downvotes views30d uses30d } } }';

type VoteValue = 'UP' | 'DOWN' | null;

interface Citizen {
  id: string;
  auth: Record<string, string>;
}

/** The data of a GraphQL response that must have succeeded. */
function dataOf<T>(response: RawResponse): T {
  if (response.status !== 200 || response.json?.errors || !response.json?.data) {
    throw new Error(`request failed: ${response.status} ${response.text.slice(0, 300)}`);
  }
  return response.json.data as T;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function inParallel<T>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}

onPostgres('two server processes on one PostgreSQL database', () => {
  let database: ProcessDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let db: Client;
  let services: string[];
  let citizens: Citizen[];

  beforeAll(async () => {
    database = await createProcessDatabase();
    // The first migrates and seeds; the second finds both done.
    a = await startServerProcess({ ...database.env });
    b = await startServerProcess({ ...database.env, SEED_ON_START: 'false' });
    db = new Client({ connectionString: database.url });
    await db.connect();
    services = (await db.query(`SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 4`)).rows.map(
      (r) => r.id,
    );
    citizens = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const id = randomUUID();
        const auth = { authorization: `Bearer ${await signToken({ sub: id, role: Role.CITIZEN }, TEST_JWT_SECRET)}` };
        const profile = {
          query: 'mutation { updateMyProfile(input: { districtCode: "520103", birthYear: 1980 }) { id } }',
        };
        dataOf(await postJson((i % 2 ? b : a).url, profile, auth));
        return { id, auth };
      }),
    );
  });
  afterAll(async () => {
    await db?.end();
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  const servers = () => [a, b];
  const stats = async (server: ServerProcess, id: string) =>
    dataOf<{ service: { stats: { upvotes: number; downvotes: number; views30d: number; uses30d: number } } }>(
      await postJson(server.url, { query: STATS, variables: { id } }),
    ).service.stats;

  async function votesTable(serviceId: string) {
    const [row] = (
      await db.query(
        `SELECT count(*) FILTER (WHERE value = 'UP')::int AS up, count(*) FILTER (WHERE value = 'DOWN')::int AS down FROM vote WHERE service_id = $1`,
        [serviceId],
      )
    ).rows;
    return row as { up: number; down: number };
  }

  it('keeps the last vote of each citizen and exact counters when citizens vote through both processes', async () => {
    const [first, second] = services;
    const lastValue = new Map<string, VoteValue>();
    const choices: VoteValue[] = ['UP', 'DOWN', null];
    // Each citizen votes in sequence, switching process on every call; all citizens at once.
    await inParallel(citizens, citizens.length, async (citizen, c) => {
      for (let step = 0; step < 8; step += 1) {
        const serviceId = step % 2 ? second : first;
        const value = choices[(c * 7 + step * 5) % 3];
        const data = dataOf<{ vote: { viewerVote: VoteValue } }>(
          await postJson(servers()[(c + step) % 2].url, { query: VOTE, variables: { serviceId, value } }, citizen.auth),
        );
        expect(data.vote.viewerVote).toBe(value);
        lastValue.set(`${citizen.id}/${serviceId}`, value);
      }
    });
    const rows = (
      await db.query('SELECT citizen_id, service_id, value FROM vote WHERE service_id = ANY($1::uuid[])', [
        [first, second],
      ])
    ).rows;
    const stored = new Map(rows.map((r) => [`${r.citizen_id}/${r.service_id}`, r.value as VoteValue]));
    for (const [key, value] of lastValue) expect([key, stored.get(key) ?? null]).toEqual([key, value]);
    expect(rows).toHaveLength([...lastValue.values()].filter((v) => v !== null).length);

    for (const serviceId of [first, second]) {
      const expected = {
        upvotes: [...lastValue].filter(([k, v]) => k.endsWith(serviceId) && v === 'UP').length,
        downvotes: [...lastValue].filter(([k, v]) => k.endsWith(serviceId) && v === 'DOWN').length,
      };
      const table = await votesTable(serviceId);
      expect({ upvotes: table.up, downvotes: table.down }).toEqual(expected);
      for (const server of servers()) expect(await stats(server, serviceId)).toMatchObject(expected);
    }
  });

  it('keeps one vote per citizen and exact counters when the same citizen votes UP and DOWN through both at once', async () => {
    const serviceId = services[2];
    const outcomes = await Promise.all(
      citizens.flatMap((citizen) => [
        postJson(a.url, { query: VOTE, variables: { serviceId, value: 'UP' } }, citizen.auth),
        postJson(b.url, { query: VOTE, variables: { serviceId, value: 'DOWN' } }, citizen.auth),
      ]),
    );
    for (const outcome of outcomes) dataOf(outcome);
    const rows = (await db.query('SELECT citizen_id, value FROM vote WHERE service_id = $1', [serviceId])).rows;
    expect(rows).toHaveLength(citizens.length);
    expect(new Set(rows.map((r) => r.citizen_id)).size).toBe(citizens.length);
    const table = await votesTable(serviceId);
    expect(table.up + table.down).toBe(citizens.length);
    for (const server of servers())
      expect(await stats(server, serviceId)).toMatchObject({ upvotes: table.up, downvotes: table.down });
  });

  it('counts each signal once when the same batch reaches both processes at once, and keeps the rollups exact', async () => {
    const [viewed, used] = [services[0], services[3]];
    const before = {
      signals: (await db.query('SELECT count(*)::int AS n FROM signal')).rows[0].n as number,
      views: (await stats(a, viewed)).views30d,
      uses: (await stats(a, used)).uses30d,
    };
    const batchOf = () =>
      Array.from({ length: 10 }, (_, k) => {
        const clientEventId = randomUUID();
        if (k % 5 === 0) return { kind: 'SEARCH', text: '办理医保', clientEventId };
        if (k % 5 === 1) return { kind: 'COMPLAINT', text: '排队太久', clientEventId };
        return k % 2
          ? { kind: 'VIEW', serviceId: viewed, clientEventId }
          : { kind: 'USE', serviceId: used, clientEventId };
      });
    const sent: { batch: ReturnType<typeof batchOf>; accepted: number; duplicates: number }[] = [];
    await inParallel(citizens, 12, async (citizen) => {
      for (let round = 0; round < 4; round += 1) {
        const batch = batchOf();
        // The same batch through both processes at once (a client retrying on another process).
        const answers = await Promise.all(
          servers().map(
            async (server) =>
              dataOf<{ recordSignals: { accepted: number; duplicates: number } }>(
                await postJson(server.url, { query: RECORD, variables: { signals: batch } }, citizen.auth),
              ).recordSignals,
          ),
        );
        expect(answers[0].accepted + answers[1].accepted).toBe(batch.length);
        expect(answers[0].duplicates + answers[1].duplicates).toBe(batch.length);
        for (const answer of answers) sent.push({ batch, ...answer });
      }
    });
    const batches = [...new Set(sent.map((s) => s.batch))];
    const events = batches.flat();
    const accepted = sent.reduce((sum, s) => sum + s.accepted, 0);
    expect(accepted).toBe(events.length);

    const stored = (
      await db.query('SELECT count(*)::int AS n FROM signal WHERE client_event_id = ANY($1::varchar[])', [
        events.map((e) => e.clientEventId),
      ])
    ).rows[0].n;
    expect(stored).toBe(events.length);
    expect((await db.query('SELECT count(*)::int AS n FROM signal')).rows[0].n).toBe(before.signals + events.length);

    // The activity counts are the rollup worker's: once it has applied every signal.
    const worker = createDataSource({ url: database.url!, poolSize: 1 });
    await worker.initialize();
    await drainRollups(worker).finally(() => worker.destroy());
    // uses30d and views30d are citizen-days (one account counts once a day), read back from the signals.
    const citizenDays = async (serviceId: string, kind: string) =>
      (
        await db.query(
          `SELECT count(DISTINCT (citizen_id, (occurred_at AT TIME ZONE 'Asia/Shanghai')::date))::int AS n FROM signal
            WHERE service_id = $1 AND kind = $2
              AND (occurred_at AT TIME ZONE 'Asia/Shanghai')::date > (now() AT TIME ZONE 'Asia/Shanghai')::date - 30`,
          [serviceId, kind],
        )
      ).rows[0].n as number;
    const [views, uses] = [await citizenDays(viewed, 'VIEW'), await citizenDays(used, 'USE')];
    expect(views).toBeGreaterThan(before.views);
    expect(uses).toBeGreaterThan(before.uses);
    for (const server of servers()) {
      expect((await stats(server, viewed)).views30d).toBe(views);
      expect((await stats(server, used)).uses30d).toBe(uses);
    }
    const activity = (
      await db.query(
        `SELECT a.service_id, a.kind, a.total, s.signals FROM
           (SELECT service_id, kind, sum(count)::int AS total FROM service_activity_daily GROUP BY 1, 2) a
           FULL JOIN (SELECT service_id, kind, count(*)::int AS signals FROM signal WHERE service_id IS NOT NULL GROUP BY 1, 2) s
           USING (service_id, kind)
          WHERE a.total IS DISTINCT FROM s.signals`,
      )
    ).rows;
    expect(activity).toEqual([]);

    // The demand rollups kept by the worker equal a rebuild from the signal table.
    const dataSource = createDataSource({ url: database.url!, poolSize: 1 });
    await dataSource.initialize();
    const rollups = (tx: EntityManager) => readDemandRollups(tx);
    try {
      const rollback = new Error('rolled back');
      await dataSource
        .transaction(async (tx) => {
          const kept = await rollups(tx);
          await rebuildDemandRollups(tx);
          const rebuilt = await rollups(tx);
          expect(kept.daily.length).toBeGreaterThan(0);
          expect(kept.areaMembers.length).toBeGreaterThan(0);
          expect(kept).toEqual(rebuilt);
          throw rollback;
        })
        .catch((error) => {
          if (error !== rollback) throw error;
        });
    } finally {
      await dataSource.destroy();
    }
  });

  describe('WEB_CONCURRENCY=2', () => {
    let cluster: ServerProcess;
    beforeAll(async () => {
      const port = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as net.AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      cluster = await startServerProcess(
        { ...database.env, WEB_CONCURRENCY: '2', PORT: String(port) },
        { servingLines: 2 },
      );
    });
    afterAll(async () => {
      const exit = await cluster?.stop();
      expect(exit).toEqual({ code: 0, signal: null });
    });

    it('answers on one port from two worker processes', async () => {
      const requestIds: string[] = [];
      for (let i = 0; i < 10; i += 1) {
        // A new connection each time: the primary hands connections to the workers in turn.
        const requestId = await new Promise<string>((resolve, reject) => {
          const req = http.request(
            cluster.url,
            { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
            (res) => {
              res.resume();
              res.on('end', () =>
                res.statusCode === 200
                  ? resolve(String(res.headers['x-request-id']))
                  : reject(new Error(`status ${res.statusCode}`)),
              );
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ query: '{ services(first: 1) { totalCount } }' }));
        });
        requestIds.push(requestId);
      }
      const pids = await Promise.all(
        requestIds.map(
          async (id) => (await cluster.waitForLog((line) => line.msg === 'request' && line.requestId === id)).pid,
        ),
      );
      const workers = new Set(pids);
      expect(workers.size).toBe(2);
      expect(workers.has(cluster.child.pid)).toBe(false);
    });
  });
});
