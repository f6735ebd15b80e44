// npm run bench:signals-cpu — the CPU time one recordSignals call costs the API process and
// PostgreSQL, read from /proc, which a busy machine moves far less than it moves throughput.
// Each run starts a build's server (this one, then each of BENCH_BASELINE_ROOT, built checkouts,
// comma-separated, in turn), lets every citizen send one call (their token verified, their
// facts kept, as phones sending again), warms up with 200 calls, then sends BENCH_CALLS calls
// of BENCH_BATCH signals (the mix of `npm run bench:signals`) from BENCH_CITIZENS citizens over
// 4 clients, and stops the server. The rollup worker and the outbox dispatcher are off, so the
// figures are the request path's alone. Scratch database BENCH_SIGNALS_CPU_DATABASE
// (minsheng_bench_signals_cpu unless set: 2,000 services, 2,000 citizens), loaded when empty.
import { loadavg } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Role, signToken } from '../../src/core/auth';
import { createDatabase, databaseUrl, datasetSize, runSeed, withClient } from './datasets';
import { median, startServerProcess } from './harness';
import { BENCH_SECRET } from './recommend.bench';
import { backendCpu, backendCpuSince, sendBatches } from './signals.bench';

const DATABASE = process.env.BENCH_SIGNALS_CPU_DATABASE ?? 'minsheng_bench_signals_cpu';
const MUTATION = `mutation Record($signals: [SignalInput!]!) { recordSignals(signals: $signals) { accepted duplicates } }`;
const SEARCHES = ['社保卡补办', '公积金提取', '居住证办理', '老年人助餐', '儿童疫苗接种', '失业登记', '医保报销'];
const REQUESTS = ['想给家里老人申请居家养老上门服务', '刚换工作，公积金怎么转移', '小区路灯坏了好几天没人修'];
const COMPLAINTS = ['窗口排队时间太长', '电话打不通'];

const RUN_ID = Math.random().toString(36).slice(2);
let sequence = 0;

/** A batch of the benchmark's mix: mostly views and searches, some uses, requests, ratings and complaints. */
function batch(services: string[], size: number): Record<string, unknown>[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)];
  const now = Date.now();
  return Array.from({ length: size }, () => {
    const roll = Math.random();
    const signal = {
      kind: 'VIEW',
      serviceId: null as string | null,
      text: null as string | null,
      rating: null as number | null,
      occurredAt: new Date(now - Math.floor(Math.random() * 7 * 86_400_000)).toISOString(),
      clientEventId: `cpu-${RUN_ID}-${sequence++}`,
    };
    if (roll < 0.45) return { ...signal, serviceId: pick(services) };
    if (roll < 0.65) return { ...signal, kind: 'SEARCH', text: pick(SEARCHES) };
    if (roll < 0.8) return { ...signal, kind: 'USE', serviceId: pick(services) };
    if (roll < 0.88) return { ...signal, kind: 'REQUEST', text: pick(REQUESTS) };
    if (roll < 0.95)
      return { ...signal, kind: 'RATING', serviceId: pick(services), rating: 1 + Math.floor(Math.random() * 5) };
    return { ...signal, kind: 'COMPLAINT', serviceId: pick(services), text: pick(COMPLAINTS) };
  });
}

interface Call {
  body: string;
  token: string;
  size: number;
}

/** User and system CPU ms of one process. */
function userAndSystemMs(pid: number): [number, number] {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return [Number(fields[11]) * 10, Number(fields[12]) * 10];
}

interface Figures {
  build: string;
  load: number;
  signalsPerSecond: number;
  apiMsPerCall: number;
  apiSystemMsPerCall: number;
  pgMsPerCall: number;
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const callCount = Number(process.env.BENCH_CALLS ?? 1500);
  const size = Number(process.env.BENCH_BATCH ?? 50);
  const citizenCount = Number(process.env.BENCH_CITIZENS ?? 200);
  const url = databaseUrl(DATABASE);
  await createDatabase(DATABASE);
  if (!(await datasetSize(url))?.citizens) await runSeed(url, { citizens: 2_000, signals: 0, services: 2_000 });
  const { citizens, services } = await withClient(url, async (db) => ({
    citizens: (await db.query<{ id: string }>('SELECT id FROM citizen ORDER BY id LIMIT $1', [citizenCount])).rows,
    services: (await db.query<{ id: string }>(`SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY id`)).rows,
  }));
  const serviceIds = services.map((s) => s.id);
  const tokens = await Promise.all(
    citizens.map((c) => signToken({ sub: c.id, role: Role.CITIZEN }, BENCH_SECRET, '2h')),
  );
  const calls = (count: number, signals: number): Call[] =>
    Array.from({ length: count }, (_, i) => ({
      token: tokens[i % tokens.length],
      size: signals,
      body: JSON.stringify({ query: MUTATION, variables: { signals: batch(serviceIds, signals) } }),
    }));
  const builds = [undefined, ...(process.env.BENCH_BASELINE_ROOT ?? '').split(',').filter(Boolean)];
  const env = {
    DATABASE_URL: url,
    JWT_SECRET: BENCH_SECRET,
    NEIGHBOUR_REFRESH_MINUTES: '0',
    REPORT_SCHEDULE: 'false',
    // A scheduled ranking fit (a child process with a large heap) must not land inside a load.
    RANKING_FIT_HOURS: '0',
    RATE_LIMIT_POINTS: '100000000',
    RATE_LIMIT_MUTATION_POINTS: '100000000',
    ROLLUP_WORKER_MS: '0',
    OUTBOX_POLL_MS: '0',
    PORT: process.env.BENCH_PORT ?? '4420',
  };
  const figures: Figures[] = [];
  for (let run = 0; run < runs; run += 1) {
    for (const root of builds) {
      const server = await startServerProcess(env, root ? path.resolve(root) : undefined);
      try {
        await sendBatches(server.url, calls(tokens.length, 1), 4);
        await sendBatches(server.url, calls(200, size), 4);
        const load = calls(callCount, size);
        const loadAverage = loadavg()[0];
        const pgBefore = await backendCpu(DATABASE);
        const [userBefore, systemBefore] = userAndSystemMs(server.process.pid!);
        const seconds = await sendBatches(server.url, load, 4);
        const [userAfter, systemAfter] = userAndSystemMs(server.process.pid!);
        const pgMs = await backendCpuSince(DATABASE, pgBefore);
        const result: Figures = {
          build: root ? path.basename(root) : 'this build',
          load: loadAverage,
          signalsPerSecond: (callCount * size) / seconds,
          apiMsPerCall: (userAfter - userBefore + systemAfter - systemBefore) / callCount,
          apiSystemMsPerCall: (systemAfter - systemBefore) / callCount,
          pgMsPerCall: pgMs / callCount,
        };
        figures.push(result);
        console.log(
          `run ${run + 1}, ${result.build}: load ${loadAverage.toFixed(1)}, ${result.signalsPerSecond.toFixed(0)} signals/s, ` +
            `API ${result.apiMsPerCall.toFixed(2)} ms a call (system ${result.apiSystemMsPerCall.toFixed(2)}), ` +
            `PostgreSQL ${result.pgMsPerCall.toFixed(2)} ms a call`,
        );
      } finally {
        await server.stop();
      }
    }
  }
  for (const build of new Set(figures.map((f) => f.build))) {
    const mine = figures.filter((f) => f.build === build);
    const perThousand = (ms: number) => ((ms * 1000) / size).toFixed(0);
    console.log(
      `median, ${build}, calls of ${size}: API ${median(mine.map((f) => f.apiMsPerCall)).toFixed(2)} ms a call ` +
        `(${perThousand(median(mine.map((f) => f.apiMsPerCall)))} per 1,000 signals), PostgreSQL ` +
        `${median(mine.map((f) => f.pgMsPerCall)).toFixed(2)} ms a call (${perThousand(median(mine.map((f) => f.pgMsPerCall)))} per 1,000)`,
    );
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
