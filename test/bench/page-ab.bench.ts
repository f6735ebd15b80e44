// npm run bench:page-ab — the uncached catalogue page on this build against other builds of
// the API (BENCH_BASELINE_ROOT: directories, comma-separated, each holding a built dist/ and a
// node_modules/) and against PostGraphile, interleaved: every round runs each server once, in an order that
// rotates from round to round, and records the machine's 1-minute load before each run, so
// that a machine busy with other work cannot favour one side. Both APIs run with the
// anonymous response cache off; `--token` sends the page with a citizen's bearer token (a
// response that is never cached) to the APIs, PostGraphile still answering anonymously;
// `--two-processes` adds this build on two server processes (WEB_CONCURRENCY=2), its CPU
// time summed over both. `--together` loads every server at the same time in each round
// instead of one after the other: the CPU time per page of each is then taken under the
// same conditions, which a machine whose other work comes and goes cannot skew.
import { loadavg } from 'node:os';
import path from 'node:path';
import { markdownTable } from '../eval/doc-section';
import { ANONYMOUS_LOAD_ENV, TWO_PROCESSES_ENV, UNCACHED_ENV, citizenToken } from './catalogue.bench';
import { CITY, databaseUrl as cityDatabaseUrl } from './datasets';
import { benchOptions } from './figures';
import { cpuMs, load, machine, median, startServerProcess, type ServerHandle } from './harness';
import { CATALOGUE_PAGE, PEER_CATALOGUE_PAGE, checkSamePage, startPeerServer } from './peer';

interface Side {
  name: string;
  server: ServerHandle;
  body: string;
  headers: Record<string, string>;
  runs: { requestsPerSecond: number; p99: number; load: number; cpuMsPerRequest: number }[];
}

async function startSides(
  databaseUrl: string,
  baselineRoots: string[],
  token: string | null,
  twoProcesses: boolean,
): Promise<Side[]> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const apiBody = JSON.stringify({ query: CATALOGUE_PAGE });
  const sides: Side[] = [];
  // BENCH_PORT_OFFSET moves every server's port (4401, 4402…, 4450) by that much.
  const offset = Number(process.env.BENCH_PORT_OFFSET ?? 0);
  const port = (base: number) => String(base + offset);
  const env = {
    DATABASE_URL: databaseUrl,
    ...ANONYMOUS_LOAD_ENV,
    ...UNCACHED_ENV,
    PORT: port(Number(UNCACHED_ENV.PORT)),
  };
  try {
    sides.push({ name: 'this build', server: await startServerProcess(env), body: apiBody, headers, runs: [] });
    if (twoProcesses) {
      const server = await startServerProcess({
        ...env,
        ...TWO_PROCESSES_ENV,
        PORT: port(Number(TWO_PROCESSES_ENV.PORT)),
      });
      sides.push({ name: 'this build, 2 processes', server, body: apiBody, headers, runs: [] });
    }
    for (const [index, root] of baselineRoots.entries()) {
      const server = await startServerProcess({ ...env, PORT: port(4402 + index) }, path.resolve(root));
      sides.push({ name: path.basename(root), server, body: apiBody, headers, runs: [] });
    }
    const peer = await startPeerServer(databaseUrl, port(4450));
    sides.push({
      name: 'PostGraphile',
      server: peer,
      body: JSON.stringify({ query: PEER_CATALOGUE_PAGE }),
      headers: {},
      runs: [],
    });
    for (const side of sides.slice(0, -1)) await checkSamePage(side.server.url, peer.url);
    return sides;
  } catch (error) {
    await Promise.all(sides.map((side) => side.server.stop()));
    throw error;
  }
}

function report(
  sides: Side[],
  rounds: number,
  seconds: number,
  connections: number,
  { token, together }: { token: boolean; together: boolean },
): string {
  const peer = sides[sides.length - 1];
  const apis = sides.slice(0, -1);
  const header = [
    'round',
    ...sides.map((s) => `${s.name} req/s (load)`),
    ...apis.map((s) => `${s.name} / PostGraphile`),
    ...sides.map((s) => `${s.name} CPU ms/page`),
  ];
  const rows: (string | number)[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    rows.push([
      round + 1,
      ...sides.map((s) => `${s.runs[round].requestsPerSecond.toFixed(0)} (${s.runs[round].load.toFixed(2)})`),
      ...apis.map((s) => (s.runs[round].requestsPerSecond / peer.runs[round].requestsPerSecond).toFixed(2)),
      ...sides.map((s) => s.runs[round].cpuMsPerRequest.toFixed(2)),
    ]);
  }
  const ratios = (side: Side) =>
    side.runs.map((run, round) => run.requestsPerSecond / peer.runs[round].requestsPerSecond);
  rows.push([
    'median',
    ...sides.map((s) => median(s.runs.map((r) => r.requestsPerSecond)).toFixed(0)),
    ...apis.map(
      (s) =>
        `${median(ratios(s)).toFixed(2)} (${Math.min(...ratios(s)).toFixed(2)}–${Math.max(...ratios(s)).toFixed(2)})`,
    ),
    ...sides.map((s) => median(s.runs.map((r) => r.cpuMsPerRequest)).toFixed(2)),
  ]);
  const loads = sides.flatMap((s) => s.runs.map((r) => r.load));
  return (
    `${markdownTable(header, rows)}\n\n` +
    `The catalogue page (20 services by title with department, category and stats), ${token ? "the APIs with a citizen's token" : 'anonymous'}, ` +
    `API response cache off; ` +
    (together
      ? `${rounds} rounds of ${seconds} s in which every server is loaded at the same time, ${connections} clients each (requests/s then share the machine; CPU ms/page compares servers under the same conditions); `
      : `${rounds} interleaved rounds of ${seconds} s per server, ${connections} clients, the order rotating each round; `) +
    `1-minute load average before each run in brackets (${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}); ` +
    `ratios per round against the PostGraphile run of the same round, median (min–max); ` +
    `CPU ms/page: the server process's user + system CPU time over the run divided by its responses (what a busy machine distorts least); ${machine()}; measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`
  );
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? cityDatabaseUrl(CITY.database);
  const options = benchOptions({ runs: 6, seconds: 8, warmupSeconds: 3 });
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
  const token = process.argv.includes('--token') ? await citizenToken(databaseUrl) : null;
  const baselines = (process.env.BENCH_BASELINE_ROOT ?? '').split(',').filter(Boolean);
  const together = process.argv.includes('--together');
  const sides = await startSides(databaseUrl, baselines, token, process.argv.includes('--two-processes'));
  try {
    for (const side of sides) {
      await load(side.server.url, {
        connections,
        seconds: options.warmupSeconds,
        request: () => ({ body: side.body, headers: side.headers }),
      });
    }
    const run = async (side: Side, round: number) => {
      const machineLoad = loadavg()[0];
      const cpuBefore = cpuMs(side.server.process.pid!);
      const result = await load(side.server.url, {
        connections,
        seconds: options.seconds,
        request: () => ({ body: side.body, headers: side.headers }),
      });
      if (result.errors + result.non2xx > 0)
        throw new Error(`${side.name}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
      const cpuMsPerRequest = (cpuMs(side.server.process.pid!) - cpuBefore) / Math.max(1, result.responses);
      side.runs[round] = {
        requestsPerSecond: result.requestsPerSecond,
        p99: result.p99,
        load: machineLoad,
        cpuMsPerRequest,
      };
    };
    for (let round = 0; round < options.runs; round += 1) {
      if (together) {
        await Promise.all(sides.map((side) => run(side, round)));
        continue;
      }
      const order = sides.map((_, i) => sides[(i + round) % sides.length]);
      for (const side of order) await run(side, round);
    }
    console.log(report(sides, options.runs, options.seconds, connections, { token: token !== null, together }));
  } finally {
    await Promise.all(sides.map((side) => side.server.stop()));
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
