import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

export interface ServerHandle {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The project root (this file runs from dist/test/bench). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The heap limits `npm start` gives the server: the old generation (HEAP_MB, else config.heapMb
 * of `root`'s package.json) and the young generation's semi-spaces (YOUNG_MB, else
 * config.youngMb, when that build has one).
 */
export function heapLimitArgs(root = ROOT): string[] {
  const { config } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    config: { heapMb: string; youngMb?: string };
  };
  const youngMb = process.env.YOUNG_MB ?? config.youngMb;
  return [
    `--max-old-space-size=${process.env.HEAP_MB ?? config.heapMb}`,
    ...(youngMb ? [`--max-semi-space-size=${youngMb}`] : []),
  ];
}

/**
 * Starts the built server (dist/) as a separate process in production mode, with the heap
 * limit of `npm start`. BENCH_SERVER_NODE_ARGS adds node options to it, e.g. "--cpu-prof
 * --cpu-prof-dir=/tmp/profiles" to see where its time goes. `root`: another build's directory
 * (its dist/, node_modules/ and package.json), to compare two builds.
 */
export async function startServerProcess(env: Record<string, string>, root = ROOT): Promise<ServerHandle> {
  const port = env.PORT ?? '4400';
  await assertNothingListens(port);
  const nodeArgs = [...heapLimitArgs(root), ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist', 'src', 'index.js')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: port, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return waitForGraphql(child, `http://127.0.0.1:${port}/graphql`);
}

/**
 * Refuses to start a server on a port where something answers already (another benchmark on
 * the same machine): its answers would be taken for the new server's.
 */
export async function assertNothingListens(port: string): Promise<void> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
  } catch {
    return; // nothing there
  }
  throw new Error(`port ${port} is in use by another process: stop it or choose other ports`);
}

/** Waits until `child` answers `{__typename}` at `url`. */
export async function waitForGraphql(child: ChildProcess, url: string): Promise<ServerHandle> {
  const deadline = Date.now() + 120_000;
  let lastAnswer = '';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server at ${url} exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{__typename}"}',
      });
      if (response.ok) break;
      lastAnswer = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(
        `server at ${url} did not answer within 120 s${lastAnswer ? `; last answer: ${lastAnswer}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LoadResult {
  /** Responses received in the run. */
  responses: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** One autocannon run; `body()` gives each request's JSON body and headers. */
export async function load(
  url: string,
  options: { connections: number; seconds: number; request: () => { body: string; headers?: Record<string, string> } },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          const next = options.request();
          return {
            ...request,
            body: next.body,
            headers: { ...request.headers, 'content-type': 'application/json', ...next.headers },
          };
        },
      },
    ],
  });
  return {
    responses: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of requests/s, p50 and p99 over several runs, with every error counted. */
export function summarise(results: LoadResult[]): LoadResult {
  return {
    responses: results.reduce((sum, r) => sum + r.responses, 0),
    requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

/** The sum of `measure` over a process and its descendants (Linux /proc). */
function overProcessTree(pid: number, measure: (pid: number) => number): number {
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop()!;
    try {
      total += measure(next);
      const children = readFileSync(`/proc/${next}/task/${next}/children`, 'utf8').trim();
      if (children) pending.push(...children.split(/\s+/).map(Number));
    } catch {
      // the process has gone
    }
  }
  return total;
}

/** Resident memory of a process and its descendants, in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  return overProcessTree(pid, (next) => {
    const status = readFileSync(`/proc/${next}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
  });
}

/**
 * CPU time (user + system) that a process and its descendants (the workers of WEB_CONCURRENCY)
 * have used so far, in ms (Linux /proc; clock ticks of 10 ms).
 */
export function cpuMs(pid: number): number {
  return overProcessTree(pid, (next) => {
    const fields = readFileSync(`/proc/${next}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  });
}

export interface RssSampler {
  /** Stops sampling; the highest resident size seen, in MB. */
  stop(): number;
}

/** Samples the resident memory of `pid` (and its children) every `everyMs` until stopped. */
export function sampleRss(pid: number, everyMs = 250): RssSampler {
  let peak = residentBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, residentBytes(pid));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, residentBytes(pid));
      return peak / (1024 * 1024);
    },
  };
}

/** "2 cores (model)", for the context line of each table. */
export function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'})`;
}
