// npm run bench — every figure of the benchmarks side by side in one run: loads the
// city-scale datasets on the local PostgreSQL when missing (reused when present), starts the
// server in production mode and drives it over HTTP, prints one table (median, p99, target,
// met) and writes it with the details to docs/benchmarks.md.
//   --quick          short runs, to check the suite works (writes nothing into docs/)
//   --only <names>   a comma-separated subset of: catalogue, recommend, chart, signals, analytics, report
//   --no-write       print only
import { cpus, loadavg } from 'node:os';
import { markdownTable, writeDocSection } from '../eval/doc-section';
import {
  ANONYMOUS_LOAD_ENV,
  TWO_PROCESSES_ENV,
  UNCACHED_ENV,
  citizenToken,
  measureCatalogue,
  type CatalogueFigures,
} from './catalogue.bench';
import { chartJsonPath, chartSvgPath, measureConcurrency, quickChartPaths, writeChart } from './chart';
import { CITY, CITY_TENTH, ensureDataset, seedCommand } from './datasets';
import { benchOptions, verdict, type Figure } from './figures';
import { measureAnalytics } from './analytics.bench';
import { machine, startServerProcess, type ServerHandle } from './harness';
import { startPeerServer } from './peer';
import { measureRecommend, RECOMMEND_RUNS, recommendRequests } from './recommend.bench';
import { measureReport } from './report.bench';
import { measureSignals, signalsOptions } from './signals.bench';

const PARTS = ['catalogue', 'recommend', 'chart', 'signals', 'analytics', 'report'] as const;
type Part = (typeof PARTS)[number];

const RSS_LIMIT_MB = 300;

function selectedParts(argv: string[]): Set<Part> {
  const at = argv.indexOf('--only');
  if (at < 0) return new Set(PARTS);
  const names = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !(PARTS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(
      `--only takes a comma-separated list of ${PARTS.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
  }
  return new Set(names as Part[]);
}

interface Section {
  title: string;
  command: string;
  markdown: string;
}

/** What the parts measured: the suite's figures, their sections, each load's peak API RSS. */
class Results {
  readonly figures: Figure[] = [];
  readonly sections: Section[] = [];
  readonly rss: { load: string; mb: number }[] = [];

  add(measured: { figures: Figure[]; markdown: string }, title: string, command: string): void {
    this.figures.push(...measured.figures);
    const section = { title, command, markdown: measured.markdown };
    this.sections.push(section);
    console.log(`\n${section.title}\n\n${section.markdown}\n`);
  }
}

type Dataset = Awaited<ReturnType<typeof ensureDataset>>;

/**
 * The catalogue page on the API, on a second API without the response cache (anonymous and
 * with a citizen's token), on two API processes without it and on PostGraphile.
 */
async function measureCatalogueAgainstPeer(api: ServerHandle, url: string, quick: boolean): Promise<CatalogueFigures> {
  const others: ServerHandle[] = [];
  try {
    const uncachedApi = await startServerProcess({ DATABASE_URL: url, ...ANONYMOUS_LOAD_ENV, ...UNCACHED_ENV });
    others.push(uncachedApi);
    const twoProcessApi = await startServerProcess({ DATABASE_URL: url, ...ANONYMOUS_LOAD_ENV, ...TWO_PROCESSES_ENV });
    others.push(twoProcessApi);
    const peer = await startPeerServer(url);
    others.push(peer);
    return await measureCatalogue(
      api,
      { uncachedApi, twoProcessApi, peer, token: await citizenToken(url) },
      benchOptions({ runs: 3, seconds: 10, warmupSeconds: 3 }, quick),
    );
  } finally {
    await Promise.all(others.map((server) => server.stop()));
  }
}

/** The parts measured on one API process over the large dataset: catalogue, recommend, chart. */
async function measureOnOneApi(
  parts: Set<Part>,
  large: Dataset,
  options: { quick: boolean; write: boolean },
  results: Results,
): Promise<void> {
  const { quick, write } = options;
  const request = await recommendRequests(large.url);
  const api = await startServerProcess({ DATABASE_URL: large.url, ...ANONYMOUS_LOAD_ENV });
  try {
    if (parts.has('catalogue')) {
      const catalogue = await measureCatalogueAgainstPeer(api, large.url, quick);
      results.add(catalogue, 'Floor, catalogue page and PostGraphile', 'npm run bench:catalogue');
      results.rss.push({ load: 'catalogue', mb: catalogue.rssMb });
    }
    if (parts.has('recommend')) {
      const recommend = await measureRecommend(api, request, benchOptions(RECOMMEND_RUNS, quick));
      results.add(recommend, 'recommendedServices', 'npm run bench:recommend');
      results.rss.push({ load: 'recommend', mb: recommend.rssMb });
    }
    if (parts.has('chart')) {
      const concurrency = await measureConcurrency(api, request, quick ? 3 : 5);
      const [jsonPath, svgPath] = write ? [chartJsonPath(), chartSvgPath()] : quickChartPaths();
      writeChart(concurrency, jsonPath, svgPath);
      console.log(`wrote ${jsonPath} and ${svgPath}`);
    }
  } finally {
    await api.stop();
  }
}

/** The API's peak resident memory over the loads that sampled it, against its limit. */
function rssFigure(rss: Results['rss']): Figure | null {
  if (rss.length === 0) return null;
  const peak = Math.max(...rss.map((r) => r.mb));
  return {
    name: `API server RSS under load (peak over the ${rss.map((r) => r.load).join(', ')} loads)`,
    median: `${peak.toFixed(0)} MB`,
    p99: '',
    target: `≤ ${RSS_LIMIT_MB} MB`,
    met: peak <= RSS_LIMIT_MB,
  };
}

/** The paragraph under the table: how the suite ran, on what, and whether the machine was busy. */
function suiteContext(run: {
  quick: boolean;
  parts: Set<Part>;
  started: Date;
  loadAtStart: number;
  large: Dataset;
  small: Dataset | null;
}): string {
  const { quick, parts, started, loadAtStart, large, small } = run;
  // Another job on the machine takes cores from the server, PostgreSQL and the load generator
  // alike. Only the load before the suite starts says so: the suite's own load counts later.
  const busy = loadAtStart > 1;
  return (
    `\`npm run bench${quick ? ' -- --quick' : ''}\`${parts.size < PARTS.length ? ` (only ${[...parts].join(', ')})` : ''}, ` +
    `started ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round((Date.now() - started.getTime()) / 60_000)} min; ${machine()}; ` +
    `1-minute load average ${loadAtStart.toFixed(2)} before the start; one API process in production mode (REPORT_SCHEDULE=false, RANKING_FIT_HOURS=0, per-caller rate budget lifted for the load generator), ` +
    `local PostgreSQL; datasets ${CITY.database} (${large.size.citizens.toLocaleString('en')} citizens, ${large.size.signals.toLocaleString('en')} signals, ` +
    `${large.size.services.toLocaleString('en')} services: \`${seedCommand(CITY)}\`)` +
    (small
      ? ` and ${CITY_TENTH.database} (${small.size.signals.toLocaleString('en')} signals: \`${seedCommand(CITY_TENTH)}\`)`
      : '') +
    '. Medians of the runs; p99 is the median of the runs’ p99 latencies (the slowest run where a run is a single timing).' +
    (busy
      ? `\n\n**Other work was running on the machine** (load average ${loadAtStart.toFixed(1)} on ${cpus().length} cores before the start): these figures understate what the server does on its own.`
      : '')
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const parts = selectedParts(argv);
  const write = !quick && !argv.includes('--no-write');
  const started = new Date();
  const loadAtStart = loadavg()[0];

  const large = await ensureDataset(CITY, process.env.BENCH_LARGE_URL);
  const small = parts.has('analytics') ? await ensureDataset(CITY_TENTH, process.env.BENCH_SMALL_URL) : null;

  const results = new Results();
  if (parts.has('catalogue') || parts.has('recommend') || parts.has('chart')) {
    await measureOnOneApi(parts, large, { quick, write }, results);
  }
  if (parts.has('signals')) {
    const signals = await measureSignals(signalsOptions(quick));
    results.add(signals, 'recordSignals against COPY', 'npm run bench:signals');
    results.rss.push({ load: 'recordSignals', mb: signals.rssMb });
  }
  if (parts.has('analytics') && small) {
    const analytics = await measureAnalytics(small.url, large.url, quick ? 2 : 7);
    results.add(analytics, 'Demand analytics', 'npm run bench:analytics');
  }
  if (parts.has('report')) {
    const report = await measureReport(large.url, quick ? 1 : 3);
    results.add(report, '30-day catalogue report', 'npm run bench:report');
  }
  const rss = rssFigure(results.rss);
  const figures = rss ? [...results.figures, rss] : results.figures;

  const table = markdownTable(
    ['figure', 'median', 'p99', 'target', 'met'],
    figures.map((f) => [f.name, f.median, f.p99, f.target, verdict(f.met)]),
  );
  const context = suiteContext({ quick, parts, started, loadAtStart, large, small });
  const details = results.sections
    .map((s) => `### ${s.title}\n\n\`${s.command}\` measures this part alone.\n\n${s.markdown}`)
    .join('\n\n');
  console.log(`\n${table}\n\n${context}\n`);
  if (write) {
    writeDocSection('benchmarks.md', 'suite', `${table}\n\n${context}\n\n${details}`);
    console.log('wrote docs/benchmarks.md (section suite)');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
