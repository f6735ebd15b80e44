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

/** The old-generation heap limit `npm start` gives the server (HEAP_MB, else package.json's config.heapMb). */
export function heapLimitArg(): string {
  const { config } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    config: { heapMb: string };
  };
  return `--max-old-space-size=${process.env.HEAP_MB ?? config.heapMb}`;
}

/**
 * Starts the built server (dist/) as a separate process in production mode, with the heap limit
 * of `npm start`. BENCH_SERVER_NODE_ARGS adds node options to it, e.g. "--cpu-prof
 * --cpu-prof-dir=/tmp/profiles" to see where its time goes. `root`: another build's directory
 * (its dist/ and node_modules/), to compare two builds.
 */
export async function startServerProcess(env: Record<string, string>, root = ROOT): Promise<ServerHandle> {
  const port = env.PORT ?? '4400';
  const nodeArgs = [heapLimitArg(), ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist', 'src', 'index.js')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: port, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return waitForGraphql(child, `http://127.0.0.1:${port}/graphql`);
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

/** Resident memory of a process and its descendants, in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop()!;
    try {
      const status = readFileSync(`/proc/${next}/status`, 'utf8');
      total += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
      const children = readFileSync(`/proc/${next}/task/${next}/children`, 'utf8').trim();
      if (children) pending.push(...children.split(/\s+/).map(Number));
    } catch {
      // the process has gone
    }
  }
  return total;
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

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** "2 cores (model)", for the context line of each table. */
export function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'})`;
}
