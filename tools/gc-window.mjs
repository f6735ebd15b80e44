// node tools/gc-window.mjs <build root> [<build root> …] > out.txt, then
// node tools/gc-window.mjs --summary out.txt
// recommendedServices load as `npm run bench:recommend` sends it (its 5,000 citizens' tokens,
// DATABASE_URL; GC_CLIENTS clients, default 8) against each built checkout in turn (this one,
// another such as /work/main; repeat roots to interleave: a b b a), each server started with
// tools/gc-window.cjs and `--trace-gc-nvp` (its V8 lines go to the same stdout); after
// GC_WARMUP seconds (default 45), one window of GC_SECONDS (default 20), and with
// GC_WINDOW_HEAP=1 a second one for the all-allocations profile (GC_WINDOW_DIR, default /tmp).
// The summary, per run, from V8's lines inside the window: rankings/s, mark-compacts and their
// pauses per 1,000 rankings, bytes promoted and bytes kept in the young generation by the
// scavenges per ranking, and the 1-minute load before. docs/benchmarks.md, "What survives the
// scavenges".
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function summary(file) {
  let run = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('@@gc-window start ')) {
      run = { ...JSON.parse(line.slice(18)), scavenges: 0, markCompacts: 0, pauseMs: 0, promoted: 0, survived: 0 };
      continue;
    }
    if (!run) continue;
    if (line.startsWith('@@gc-window end ')) {
      const { responses, requestsPerSecond, p50, p99 } = JSON.parse(line.slice(16));
      const per = (value) => (value / responses / 1024).toFixed(1);
      console.log(
        `${run.root} load ${run.load.toFixed(2)}: ${requestsPerSecond.toFixed(0)} rankings/s, p50 ${p50} ms, p99 ${p99} ms; ` +
          `mark-compacts ${run.markCompacts} (${((1000 * run.markCompacts) / responses).toFixed(2)} per 1,000 rankings, ` +
          `pauses ${((1000 * run.pauseMs) / responses).toFixed(0)} ms per 1,000); scavenges ${run.scavenges}; ` +
          `promoted ${per(run.promoted)} KB and kept young ${per(run.survived)} KB per ranking`,
      );
      run = null;
      continue;
    }
    const kind = /\bgc=(\w+)/.exec(line)?.[1];
    const field = (name) => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
    if (kind === 's') {
      run.scavenges += 1;
      run.promoted += field('promoted');
      run.survived += field('new_space_survived');
    } else if (kind === 'mc' || kind === 'mmc') {
      run.markCompacts += 1;
      run.pauseMs += field('pause');
    }
  }
}

async function measure(roots) {
  const hook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gc-window.cjs');
  const clients = Number(process.env.GC_CLIENTS ?? 8);
  const seconds = Number(process.env.GC_SECONDS ?? 20);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL: the database to rank from');
  process.env.BENCH_SERVER_NODE_ARGS = `--require ${hook} --trace-gc-nvp ${process.env.BENCH_SERVER_NODE_ARGS ?? ''}`;
  for (const root of roots) {
    const require = createRequire(path.join(path.resolve(root), 'package.json'));
    const harness = require('./dist/test/bench/harness.js');
    const bench = require('./dist/test/bench/recommend.bench.js');
    const request = await bench.recommendRequests(databaseUrl);
    const env = {
      PORT: process.env.BENCH_PORT ?? '4460',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: bench.BENCH_SECRET,
      NEIGHBOUR_REFRESH_MINUTES: '0',
      REPORT_SCHEDULE: 'false',
      WEB_CONCURRENCY: '1',
    };
    const server = await harness.startServerProcess(env, path.resolve(root));
    const window = () => harness.load(server.url, { connections: clients, seconds, request });
    try {
      await harness.load(server.url, { connections: clients, seconds: Number(process.env.GC_WARMUP ?? 45), request });
      console.log(`@@gc-window start ${JSON.stringify({ root, load: loadavg()[0] })}`);
      server.process.kill('SIGUSR2');
      const result = await window();
      server.process.kill('SIGUSR2');
      console.log(`@@gc-window end ${JSON.stringify(result)}`);
      if (process.env.GC_WINDOW_HEAP === '1') {
        server.process.kill('SIGUSR2');
        await window();
        server.process.kill('SIGUSR2');
      }
      await new Promise((resolve) => setTimeout(resolve, 3000));
    } finally {
      await server.stop();
    }
  }
}

const args = process.argv.slice(2);
if (args[0] === '--summary' && args[1]) summary(args[1]);
else if (args.length > 0) await measure(args);
else {
  console.error('usage: node tools/gc-window.mjs <build root> … > out.txt; node tools/gc-window.mjs --summary out.txt');
  process.exit(2);
}
