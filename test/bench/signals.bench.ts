// npm run bench:signals — recordSignals in batches of 500 and of 50 over HTTP (several clients,
// each batch from one citizen with that citizen's token, mixed kinds), against a raw COPY of the
// same number of equivalent rows into the signal table, interleaved (500, 50, COPY, 500, 50,
// COPY …) with the machine's load read before each. After each recordSignals load, how long
// the rollup worker took to apply what was left of it, and the CPU time per 1,000 signals of
// the API process and of PostgreSQL's backends. BENCH_BASELINE_ROOT (built checkouts,
// comma-separated) sends each load to those builds' servers too, interleaved with this one's.
// Runs on a scratch database (BENCH_SIGNALS_DATABASE),
// minsheng_bench_signals, dropped and loaded afresh (catalogue of 2,000 services, 2,000
// citizens, no signals) on every run.
import { loadavg } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { Role, signToken } from '../../src/core/auth';
import { ageBandOf } from '../../src/modules/citizens/age-band';
import { copyLine, createRng, type CopyValue, type Rng } from '../../seeds/population';
import { markdownTable, writeDocSection } from '../eval/doc-section';
import { createDatabase, databaseUrl, runSeed, withClient } from './datasets';
import { type Figure } from './figures';
import { cpuMs, machine, median, sampleRss, startServerProcess, type ServerHandle } from './harness';
import { BENCH_SECRET } from './recommend.bench';
import { IS_PENDING } from '../../src/modules/signals/signal-log';

const SCRATCH_DATABASE = process.env.BENCH_SIGNALS_DATABASE ?? 'minsheng_bench_signals';
const BATCH_SIZES = [500, 50] as const;
const MUTATION = `mutation Record($signals: [SignalInput!]!) { recordSignals(signals: $signals) { accepted duplicates } }`;

const SEARCHES = [
  '社保卡补办',
  '公积金提取',
  '居住证办理',
  '老年人助餐',
  '儿童疫苗接种',
  '失业登记',
  '医保报销',
  '残疾人补贴',
  '廉租房申请',
  '法律援助',
];
const REQUESTS = [
  '想给家里老人申请居家养老上门服务',
  '孩子明年上小学，需要办哪些入学手续',
  '刚换工作，公积金怎么转移',
  '小区路灯坏了好几天没人修',
  '外地医保在本市住院怎么报销',
];
const COMPLAINTS = ['窗口排队时间太长', '线上预约一直失败', '电话打不通'];

interface ScratchCatalogue {
  citizens: { id: string; districtCode: string; birthYear: number | null }[];
  services: { id: string; categoryId: string }[];
}

interface SignalDraft {
  kind: string;
  serviceIndex: number | null;
  text: string | null;
  rating: number | null;
  occurredAt: Date;
}

/** One batch of a citizen's day: mostly views and searches, some uses, requests, ratings and complaints. */
function draftBatch(rng: Rng, services: number, now: number, size: number): SignalDraft[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  const service = () => Math.floor(rng() * services);
  return Array.from({ length: size }, () => {
    const roll = rng();
    const occurredAt = new Date(now - Math.floor(rng() * 7 * 86_400_000));
    if (roll < 0.45) return { kind: 'VIEW', serviceIndex: service(), text: null, rating: null, occurredAt };
    if (roll < 0.65) return { kind: 'SEARCH', serviceIndex: null, text: pick(SEARCHES), rating: null, occurredAt };
    if (roll < 0.8) return { kind: 'USE', serviceIndex: service(), text: null, rating: null, occurredAt };
    if (roll < 0.88) return { kind: 'REQUEST', serviceIndex: null, text: pick(REQUESTS), rating: null, occurredAt };
    if (roll < 0.95)
      return { kind: 'RATING', serviceIndex: service(), text: null, rating: 1 + Math.floor(rng() * 5), occurredAt };
    return { kind: 'COMPLAINT', serviceIndex: service(), text: pick(COMPLAINTS), rating: null, occurredAt };
  });
}

async function loadScratchCatalogue(url: string): Promise<ScratchCatalogue> {
  return withClient(url, async (db) => {
    const citizens = (
      await db.query(`SELECT id, district_code AS "districtCode", birth_year AS "birthYear" FROM citizen ORDER BY id`)
    ).rows;
    const services = (
      await db.query(`SELECT id, category_id AS "categoryId" FROM service WHERE status = 'PUBLISHED' ORDER BY id`)
    ).rows;
    return { citizens, services };
  });
}

/** Sends every body through `clients` concurrent workers; returns the seconds from the first send to the last answer. */
export async function sendBatches(
  url: string,
  requests: { body: string; token: string; size: number }[],
  clients: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests.length) {
      const { body, token, size } = requests[next++];
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      const result = (await response.json()) as { data?: { recordSignals: { accepted: number } }; errors?: unknown };
      if (!response.ok || result.errors || result.data?.recordSignals.accepted !== size) {
        throw new Error(`recordSignals failed (${response.status}): ${JSON.stringify(result.errors ?? result.data)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  return (performance.now() - started) / 1000;
}

/** COPY of `rows` into signal on a connection of its own; the seconds it took and its backend's CPU ms. */
async function copySignals(url: string, rows: string[]): Promise<{ seconds: number; cpuMs: number }> {
  return withClient(url, async (db) => {
    const [{ pid }] = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    const cpuBefore = cpuMs(pid);
    const started = performance.now();
    await pipeline(
      Readable.from(rows.map((line) => Buffer.from(line, 'utf8'))),
      db.query(
        copyFrom(
          'COPY signal (citizen_id, kind, service_id, category_id, district_code, age_band, text, rating, occurred_at, client_event_id) FROM STDIN',
        ),
      ),
    );
    return { seconds: (performance.now() - started) / 1000, cpuMs: cpuMs(pid) - cpuBefore };
  });
}

export interface SignalsOptions {
  runs: number;
  /** Signals per run and batch size, in batches of 500 (200: 100,000 signals). */
  batches: number;
  clients: number;
}

export interface SignalsFigures {
  recordPerSecond: number;
  copyPerSecond: number;
  rssMb: number;
  figures: Figure[];
  markdown: string;
}

/** Seconds until the rollup worker has applied every committed signal (polled every 50 ms). */
async function waitForWorker(url: string): Promise<number> {
  const started = performance.now();
  return withClient(url, async (db) => {
    for (;;) {
      const { rows } = await db.query(
        `SELECT EXISTS (SELECT 1 FROM signal s, signal_rollup_watermark w WHERE ${IS_PENDING}) AS pending`,
      );
      if (!rows[0].pending) return (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

interface RunSet {
  size: number;
  requests: { body: string; token: string; size: number }[];
  copyRows: string[];
}

/** One run's loads: the same signals (in number) as batches of each size, and the COPY rows. */
function draftRun(run: number, options: SignalsOptions, catalogue: ScratchCatalogue, rng: Rng): RunSet[] {
  const now = Date.now();
  return BATCH_SIZES.map((size) => {
    const count = (options.batches * 500) / size;
    const batches = Array.from({ length: count }, (_, b) => ({
      citizen: (run * count + b) % catalogue.citizens.length,
      drafts: draftBatch(rng, catalogue.services.length, now, size),
    }));
    const requests = batches.map(({ citizen, drafts }, b) => ({
      token: tokens[citizen],
      size,
      body: JSON.stringify({
        query: MUTATION,
        variables: {
          signals: drafts.map((d, i) => ({
            kind: d.kind,
            serviceId: d.serviceIndex === null ? null : catalogue.services[d.serviceIndex].id,
            text: d.text,
            rating: d.rating,
            occurredAt: d.occurredAt.toISOString(),
            clientEventId: `http-${run}-${size}-${b}-${i}`,
          })),
        },
      }),
    }));
    // The same rows as the server stores them (category from the service, district and age band from the citizen).
    const copyRows = batches.flatMap(({ citizen: index, drafts }, b) => {
      const citizen = catalogue.citizens[index];
      return drafts.map((d, i) => {
        const service = d.serviceIndex === null ? null : catalogue.services[d.serviceIndex];
        const row: CopyValue[] = [
          citizen.id,
          d.kind,
          service?.id ?? null,
          service?.categoryId ?? null,
          citizen.districtCode,
          ageBandOf(citizen.birthYear, d.occurredAt),
          d.text,
          d.rating,
          d.occurredAt,
          `copy-${run}-${size}-${b}-${i}`,
        ];
        return copyLine(row);
      });
    });
    return { size, requests, copyRows };
  });
}
let tokens: string[] = [];

interface RunResult {
  load: number;
  rate: number;
  workerSeconds?: number;
  /** CPU time per 1,000 signals: the API process's (null for COPY) and PostgreSQL's backends'. */
  apiCpuMs: number | null;
  pgCpuMs: number;
  /** PostgreSQL's until the rollup worker had applied the load (null for COPY). */
  pgWorkerCpuMs: number | null;
}

/** A build of the API under load: this one, or one of BENCH_BASELINE_ROOT. */
interface Side {
  name: string;
  server: ServerHandle;
  record: Map<number, RunResult[]>;
}

/**
 * CPU time (ms) so far of every backend of `database`, by pid (read through the `postgres`
 * database, so that the reading connection is not among them).
 */
export async function backendCpu(database: string): Promise<Map<number, number>> {
  const pids = await withClient(databaseUrl('postgres'), async (db) => {
    const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    return rows.map((r) => r.pid);
  });
  const cpu = new Map<number, number>();
  for (const pid of pids) {
    try {
      cpu.set(pid, cpuMs(pid));
    } catch {
      // ended meanwhile
    }
  }
  return cpu;
}

/** CPU (ms) the backends alive now used since `before` (a backend started since counts whole). */
export async function backendCpuSince(database: string, before: Map<number, number>): Promise<number> {
  let total = 0;
  for (const [pid, ms] of await backendCpu(database)) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** One recordSignals load on one side: rate, the worker's lag, and CPU per 1,000 signals. */
async function recordLoad(
  url: string,
  side: Side,
  requests: RunSet['requests'],
  clients: number,
  signals: number,
): Promise<RunResult> {
  const load = loadavg()[0];
  const pgBefore = await backendCpu(SCRATCH_DATABASE);
  const apiBefore = cpuMs(side.server.process.pid!);
  const rate = signals / (await sendBatches(side.server.url, requests, clients));
  const apiCpuMs = ((cpuMs(side.server.process.pid!) - apiBefore) * 1000) / signals;
  const pgCpuMs = ((await backendCpuSince(SCRATCH_DATABASE, pgBefore)) * 1000) / signals;
  const workerSeconds = await waitForWorker(url);
  const pgWorkerCpuMs = ((await backendCpuSince(SCRATCH_DATABASE, pgBefore)) * 1000) / signals;
  return { load, rate, workerSeconds, apiCpuMs, pgCpuMs, pgWorkerCpuMs };
}

/**
 * One call with a search before the loads (not timed): the first search of a process builds the
 * catalogue's text index, seconds of work that would otherwise fall into the first load.
 */
async function warmUp(side: Side, catalogue: ScratchCatalogue): Promise<void> {
  const body = JSON.stringify({
    query: MUTATION,
    variables: { signals: [{ kind: 'SEARCH', text: SEARCHES[0], clientEventId: `warm-up-${side.name}` }] },
  });
  await sendBatches(side.server.url, [{ body, token: tokens[catalogue.citizens.length - 1], size: 1 }], 1);
}

async function startSides(url: string): Promise<Side[]> {
  const env = {
    DATABASE_URL: url,
    JWT_SECRET: BENCH_SECRET,
    NEIGHBOUR_REFRESH_MINUTES: '0',
    REPORT_SCHEDULE: 'false',
    // A scheduled ranking fit (a child process with a large heap) must not land inside a load.
    RANKING_FIT_HOURS: '0',
    // Throughput, not the per-caller budget, is measured here.
    RATE_LIMIT_POINTS: '100000000',
    RATE_LIMIT_MUTATION_POINTS: '100000000',
  };
  const baselines = (process.env.BENCH_BASELINE_ROOT ?? '').split(',').filter(Boolean);
  const sides: Side[] = [];
  const newRecord = () => new Map<number, RunResult[]>(BATCH_SIZES.map((size) => [size, []]));
  // BENCH_PORT: this build's port (4420), the baselines' the ones after it.
  const port = Number(process.env.BENCH_PORT ?? 4420);
  try {
    sides.push({
      name: 'this build',
      server: await startServerProcess({ ...env, PORT: String(port) }),
      record: newRecord(),
    });
    for (const [index, root] of baselines.entries()) {
      const server = await startServerProcess({ ...env, PORT: String(port + 1 + index) }, path.resolve(root));
      sides.push({ name: path.basename(root), server, record: newRecord() });
    }
    return sides;
  } catch (error) {
    await Promise.all(sides.map((side) => side.server.stop()));
    throw error;
  }
}

/**
 * Loads the scratch database afresh, then runs the loads. With BENCH_BASELINE_ROOT (builds'
 * directories, comma-separated, each with a built dist/ and node_modules/) each load is sent
 * to this build and to each of those, in an order that rotates from run to run.
 */
export async function measureSignals(options: SignalsOptions): Promise<SignalsFigures> {
  const url = databaseUrl(SCRATCH_DATABASE);
  console.log(`signals: loading the scratch database ${SCRATCH_DATABASE}`);
  await createDatabase(SCRATCH_DATABASE, { dropFirst: true });
  await runSeed(url, { citizens: 2_000, signals: 0, services: 2_000 });
  const catalogue = await loadScratchCatalogue(url);
  tokens = await Promise.all(
    catalogue.citizens.map((c) => signToken({ sub: c.id, role: Role.CITIZEN }, BENCH_SECRET, '2h')),
  );

  const sides = await startSides(url);
  for (const side of sides) await warmUp(side, catalogue);
  const rss = sampleRss(sides[0].server.process.pid!);
  let rssMb = 0;
  const copies: RunResult[] = [];
  const signals = options.batches * 500;
  try {
    const rng = createRng('signals-bench');
    for (let run = 0; run < options.runs; run += 1) {
      const order = sides.map((_, i) => sides[(i + run) % sides.length]);
      const sets = order.map((side, s) => ({ side, sets: draftRun(run * sides.length + s, options, catalogue, rng) }));
      for (const [index, size] of BATCH_SIZES.entries()) {
        for (const { side, sets: drafted } of sets) {
          side.record.get(size)!.push(await recordLoad(url, side, drafted[index].requests, options.clients, signals));
        }
      }
      const load = loadavg()[0];
      const copied = await copySignals(url, sets[0].sets[0].copyRows);
      copies.push({
        load,
        rate: signals / copied.seconds,
        apiCpuMs: null,
        pgCpuMs: (copied.cpuMs * 1000) / signals,
        pgWorkerCpuMs: null,
      });
      // The worker applies the copied rows before the next load starts (not timed).
      await waitForWorker(url);
      for (const side of sides) {
        console.log(
          `signals run ${run + 1}, ${side.name}: ${BATCH_SIZES.map((size) => `batches of ${size} ${side.record.get(size)!.at(-1)!.rate.toFixed(0)}/s`).join(', ')}, COPY ${copies.at(-1)!.rate.toFixed(0)}/s`,
        );
      }
    }
  } finally {
    rssMb = rss.stop();
    await Promise.all(sides.map((side) => side.server.stop()));
  }
  return signalsReport(options, signals, sides, copies, rssMb);
}

const cpuCell = (ms: number | null) => (ms === null ? '' : ms.toFixed(0));

/** The table of every run and the medians: rates, ratios to the COPY of the run, CPU per 1,000 signals. */
function reportTable(sides: Side[], copies: RunResult[]): string {
  const copy = median(copies.map((c) => c.rate));
  const of = (size: number, side: Side) => median(side.record.get(size)!.map((r) => r.rate));
  const cpuOf = (size: number, side: Side, pick: (r: RunResult) => number | null) =>
    median(side.record.get(size)!.map((r) => pick(r) ?? 0));
  const compared = sides.length > 1;
  const sent = (side: Side, what: string) => (compared ? `${side.name}: ${what}` : what);
  const rows: (string | number)[][] = [];
  for (let run = 0; run < copies.length; run += 1) {
    for (const size of BATCH_SIZES) {
      for (const side of sides) {
        const r = side.record.get(size)![run];
        rows.push([
          run + 1,
          sent(side, `recordSignals, batches of ${size}`),
          r.load.toFixed(2),
          r.rate.toFixed(0),
          (r.rate / copies[run].rate).toFixed(2),
          cpuCell(r.apiCpuMs),
          cpuCell(r.pgCpuMs),
          cpuCell(r.pgWorkerCpuMs),
          r.workerSeconds!.toFixed(1),
        ]);
      }
    }
    const c = copies[run];
    rows.push([run + 1, 'COPY', c.load.toFixed(2), c.rate.toFixed(0), '', '', cpuCell(c.pgCpuMs), '', '']);
  }
  for (const size of BATCH_SIZES) {
    for (const side of sides) {
      rows.push([
        'median',
        sent(side, `recordSignals, batches of ${size}`),
        '',
        of(size, side).toFixed(0),
        (of(size, side) / copy).toFixed(2),
        cpuCell(cpuOf(size, side, (r) => r.apiCpuMs)),
        cpuCell(cpuOf(size, side, (r) => r.pgCpuMs)),
        cpuCell(cpuOf(size, side, (r) => r.pgWorkerCpuMs)),
        '',
      ]);
    }
  }
  rows.push(['median', 'COPY', '', copy.toFixed(0), '', '', cpuCell(median(copies.map((c) => c.pgCpuMs))), '', '']);
  return markdownTable(
    [
      'run',
      'sent',
      '1-min load before',
      'signals/s',
      '/ COPY of the run',
      'API CPU ms / 1,000',
      'PostgreSQL CPU ms / 1,000',
      'with the worker, ms / 1,000',
      'worker done after (s)',
    ],
    rows,
  );
}

function signalsReport(
  options: SignalsOptions,
  signals: number,
  sides: Side[],
  copies: RunResult[],
  rssMb: number,
): SignalsFigures {
  const record = sides[0].record;
  const copy = median(copies.map((c) => c.rate));
  const of = (size: number, side = sides[0]) => median(side.record.get(size)!.map((r) => r.rate));
  const goals: Record<number, { share: number; rate: number }> = {
    500: { share: 0.6, rate: 20_000 },
    50: { share: 0.35, rate: 0 },
  };
  const met = (size: number) => of(size) / copy >= goals[size].share && of(size) >= goals[size].rate;
  const compared = sides.length > 1;
  const table = reportTable(sides, copies);
  const spread = (xs: number[]) => (xs.length ? `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}` : '');
  const summary =
    `Each run: ${signals.toLocaleString('en')} signals (views, searches, uses, requests, ratings, complaints) as ${options.batches} recordSignals calls of 500, ` +
    `then as ${options.batches * 10} calls of 50, each call one citizen's, ${options.clients} concurrent clients over HTTP; then one COPY of as many equivalent rows into signal. ` +
    `Runs interleaved (500, 50, COPY, 500, 50, COPY …), the 1-minute load average read before each. recordSignals inserts the signals, checks idempotency, opens cases and writes ` +
    `an audit event; the derived tables (daily and area rollups, service activity, matching aggregates) are the rollup worker's: "worker done after" is how long ` +
    `after the last answer the worker had applied every signal of the load (polled every 50 ms). COPY writes the signal table only. ` +
    `CPU per 1,000 signals: user + system time of the API process, and of every PostgreSQL backend of the scratch database from the first call to the last answer ` +
    `(the worker's runs during the load included; for COPY, its own backend), then until the worker had applied the whole load. ` +
    (compared
      ? `Builds compared in each run, in an order rotating from run to run: ${sides.map((s) => s.name).join(', ')}. `
      : '') +
    `Spread of the runs: batches of 500 ` +
    `${spread(record.get(500)!.map((r) => r.rate))}/s, of 50 ${spread(record.get(50)!.map((r) => r.rate))}/s, COPY ${spread(copies.map((c) => c.rate))}/s. ` +
    `Scratch database ${SCRATCH_DATABASE} (2,000 services, 2,000 citizens); ${machine()}; measured ${new Date().toISOString().slice(0, 10)}. ` +
    `Targets: batches of 500 ≥ 20,000 signals/s and ≥ 0.6 of COPY: ${met(500) ? 'met' : '**not met**'}; batches of 50 ≥ 0.35 of COPY: ${met(50) ? 'met' : '**not met**'}. Peak API RSS: ${rssMb.toFixed(0)} MB.`;
  const figures: Figure[] = [
    ...BATCH_SIZES.map((size) => ({
      name: `recordSignals, batches of ${size}, ${options.clients} clients`,
      median: `${of(size).toFixed(0)} signals/s`,
      p99: '',
      target:
        size === 500
          ? `≥ 20,000/s and ≥ 0.6 of COPY: ${(of(size) / copy).toFixed(2)}`
          : `≥ 0.35 of COPY: ${(of(size) / copy).toFixed(2)}`,
      met: met(size),
    })),
    {
      name: 'raw COPY of the same rows (signal table only)',
      median: `${copy.toFixed(0)} rows/s`,
      p99: '',
      target: '',
      met: null,
    },
  ];
  return { recordPerSecond: of(500), copyPerSecond: copy, rssMb, figures, markdown: `${table}\n\n${summary}` };
}

export function signalsOptions(quick = process.argv.includes('--quick')): SignalsOptions {
  if (quick) return { runs: 2, batches: 20, clients: 4 };
  return {
    runs: Number(process.env.BENCH_RUNS ?? 3),
    batches: Number(process.env.BENCH_SIGNAL_BATCHES ?? 200),
    clients: Number(process.env.BENCH_CONNECTIONS ?? 4),
  };
}

async function main(): Promise<void> {
  const result = await measureSignals(signalsOptions());
  console.log(result.markdown);
  if (!process.argv.includes('--no-write') && !process.argv.includes('--quick'))
    writeDocSection('benchmarks.md', 'signals', result.markdown);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
