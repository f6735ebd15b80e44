// npm run bench:chart — latency against concurrency: the anonymous catalogue page (answered
// from the public response cache, PUBLIC_CACHE_SECONDS at its default) and
// recommendedServices(first: 10) at 1 to 32 concurrent clients (one short run each) on the
// city-scale database (DATABASE_URL, default …/minsheng_bench). Writes the figures to
// docs/bench/latency-vs-concurrency.json and draws docs/img/latency-vs-concurrency.svg.
//   --render-only   redraw the SVG from the JSON, measuring nothing
//   --quick         3 s per point, written outside docs/
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import * as echarts from 'echarts';
import { docsPath } from '../eval/doc-section';
import { ANONYMOUS_LOAD_ENV } from './catalogue.bench';
import { CITY, databaseUrl } from './datasets';
import { load, machine, startServerProcess, type ServerHandle } from './harness';
import { CATALOGUE_PAGE } from './peer';
import { recommendRequests, type RequestSource } from './recommend.bench';

export const CONCURRENCIES = [1, 2, 4, 8, 16, 32];
export const CACHED_CATALOGUE = 'catalogue page (20 services), cached';

export interface ConcurrencyPoint {
  query: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface ConcurrencyFigures {
  measuredAt: string;
  machine: string;
  /** 1-minute load average before the first point: above 1, other work shared the machine. */
  loadAverage?: number;
  secondsPerPoint: number;
  points: ConcurrencyPoint[];
}

export const chartJsonPath = () => docsPath(path.join('bench', 'latency-vs-concurrency.json'));
export const chartSvgPath = () => docsPath(path.join('img', 'latency-vs-concurrency.svg'));

/** Each query at each concurrency, one run of `seconds` after a 1 s warm-up. */
export async function measureConcurrency(
  server: ServerHandle,
  recommend: RequestSource,
  seconds: number,
): Promise<ConcurrencyFigures> {
  const catalogueBody = JSON.stringify({ query: CATALOGUE_PAGE });
  const queries: [string, () => { body: string; headers?: Record<string, string> }][] = [
    // Anonymous: answered from the public response cache (as the city's apps would be served).
    [CACHED_CATALOGUE, () => ({ body: catalogueBody })],
    ['recommendedServices(first: 10)', recommend],
  ];
  const loadAverage = loadavg()[0];
  const points: ConcurrencyPoint[] = [];
  for (const [query, request] of queries) {
    for (const connections of CONCURRENCIES) {
      await load(server.url, { connections, seconds: 1, request });
      const result = await load(server.url, { connections, seconds, request });
      if (result.responses === 0)
        throw new Error(
          `${query} at ${connections} clients: no answer within ${seconds} s; run longer (BENCH_SECONDS)`,
        );
      points.push({
        query,
        connections,
        requestsPerSecond: result.requestsPerSecond,
        p50: result.p50,
        p99: result.p99,
        errors: result.errors + result.non2xx,
      });
      console.log(
        `${query} at ${connections}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`,
      );
    }
  }
  return { measuredAt: new Date().toISOString(), machine: machine(), loadAverage, secondsPerPoint: seconds, points };
}

/** The chart as an SVG document: p50 and p99 per query against concurrent clients. */
export function renderChart(figures: ConcurrencyFigures): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 900, height: 560 });
  const queries = [...new Set(figures.points.map((p) => p.query))];
  const colours = ['#2f6fdf', '#e8772e', '#3a9d5d', '#9b59b6'];
  const series = queries.flatMap((query, index) =>
    (['p50', 'p99'] as const).map((stat) => ({
      name: `${query} ${stat}`,
      type: 'line' as const,
      symbolSize: 6,
      color: colours[index % colours.length],
      lineStyle: { type: stat === 'p99' ? ('dashed' as const) : ('solid' as const) },
      // A log axis has no 0: autocannon reports latencies in whole milliseconds.
      data: figures.points.filter((p) => p.query === query).map((p) => [String(p.connections), Math.max(p[stat], 0.5)]),
    })),
  );
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    title: {
      text: 'Latency against concurrent clients',
      subtext:
        `${figures.secondsPerPoint} s per point, one API process in production mode on PostgreSQL (city scale); ${figures.machine}; ${figures.measuredAt.slice(0, 10)}\n` +
        'solid: p50, dashed: p99; under 1 ms drawn at 0.5 ms; the catalogue page is anonymous, from the public response cache' +
        ((figures.loadAverage ?? 0) > 1
          ? `; other work was running (load average ${figures.loadAverage!.toFixed(1)})`
          : ''),
      left: 'center',
    },
    legend: { bottom: 8 },
    grid: { left: 70, right: 30, top: 95, bottom: 110 },
    xAxis: {
      type: 'category',
      name: 'concurrent clients',
      nameLocation: 'middle',
      nameGap: 30,
      data: CONCURRENCIES.map(String),
    },
    yAxis: { type: 'log', name: 'latency (ms, log scale)', nameLocation: 'middle', nameGap: 48, logBase: 10 },
    series,
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** Writes the figures and the chart (by default into docs/; `--quick` runs write elsewhere). */
export function writeChart(figures: ConcurrencyFigures, jsonPath = chartJsonPath(), svgPath = chartSvgPath()): void {
  for (const file of [jsonPath, svgPath]) mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(figures, null, 2)}\n`);
  writeFileSync(svgPath, renderChart(figures));
}

/** Where a `--quick` run puts its chart: not in docs/. */
export function quickChartPaths(): [string, string] {
  const dir = path.join(tmpdir(), 'minsheng-bench');
  return [path.join(dir, 'latency-vs-concurrency.json'), path.join(dir, 'latency-vs-concurrency.svg')];
}

async function main(): Promise<void> {
  if (process.argv.includes('--render-only')) {
    const figures = JSON.parse(readFileSync(chartJsonPath(), 'utf8')) as ConcurrencyFigures;
    writeFileSync(chartSvgPath(), renderChart(figures));
    console.log(`drew ${chartSvgPath()}`);
    return;
  }
  const url = process.env.DATABASE_URL ?? databaseUrl(CITY.database);
  const seconds = process.argv.includes('--quick') ? 3 : Number(process.env.BENCH_SECONDS ?? 5);
  const recommend = await recommendRequests(url);
  const server = await startServerProcess({ DATABASE_URL: url, ...ANONYMOUS_LOAD_ENV });
  try {
    const figures = await measureConcurrency(server, recommend, seconds);
    const [jsonPath, svgPath] =
      process.argv.includes('--quick') || process.argv.includes('--no-write')
        ? quickChartPaths()
        : [chartJsonPath(), chartSvgPath()];
    writeChart(figures, jsonPath, svgPath);
    console.log(`wrote ${jsonPath} and ${svgPath}`);
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
