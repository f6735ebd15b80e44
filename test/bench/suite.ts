// npm run bench — every figure of the benchmarks side by side in one run: loads the
// city-scale datasets on the local PostgreSQL when missing (reused when present), starts the
// server in production mode and drives it over HTTP, prints one table (median, p99, target,
// met) and writes it with the details to docs/benchmarks.md.
//   --quick          short runs, to check the suite works (writes nothing into docs/)
//   --only <names>   a comma-separated subset of: catalogue, recommend, chart, signals, analytics, report
//   --no-write       print only
import { cpus, loadavg } from 'node:os';
import { markdownTable, writeDocSection } from '../eval/doc-section';
import { ANONYMOUS_LOAD_ENV, UNCACHED_ENV, measureCatalogue, type CatalogueFigures } from './catalogue.bench';
import { chartJsonPath, chartSvgPath, measureConcurrency, quickChartPaths, writeChart } from './chart';
import { CITY, CITY_TENTH, ensureDataset, seedCommand } from './datasets';
import { benchOptions, verdict, type Figure } from './figures';
import { measureAnalytics } from './analytics.bench';
import { machine, startServerProcess, type ServerHandle } from './harness';
import { startPeerServer } from './peer';
import { measureRecommend, RECOMMEND_RUNS, recommendRequests, type RecommendFigures } from './recommend.bench';
import { measureReport } from './report.bench';
import { measureSignals, signalsOptions, type SignalsFigures } from './signals.bench';

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

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const parts = selectedParts(argv);
  const write = !quick && !argv.includes('--no-write');
  const started = new Date();
  const loadAtStart = loadavg()[0];

  const large = await ensureDataset(CITY, process.env.BENCH_LARGE_URL);
  const small = parts.has('analytics') ? await ensureDataset(CITY_TENTH, process.env.BENCH_SMALL_URL) : null;

  const figures: Figure[] = [];
  const sections: Section[] = [];
  const addSection = (section: Section) => {
    sections.push(section);
    console.log(`\n${section.title}\n\n${section.markdown}\n`);
  };
  let catalogue: CatalogueFigures | null = null;
  let recommend: RecommendFigures | null = null;
  let signals: SignalsFigures | null = null;

  if (parts.has('catalogue') || parts.has('recommend') || parts.has('chart')) {
    const request = await recommendRequests(large.url);
    const api = await startServerProcess({ DATABASE_URL: large.url, ...ANONYMOUS_LOAD_ENV });
    try {
      if (parts.has('catalogue')) {
        const others: ServerHandle[] = [];
        try {
          const uncachedApi = await startServerProcess({
            DATABASE_URL: large.url,
            ...ANONYMOUS_LOAD_ENV,
            ...UNCACHED_ENV,
          });
          others.push(uncachedApi);
          const peer = await startPeerServer(large.url);
          others.push(peer);
          catalogue = await measureCatalogue(
            api,
            { uncachedApi, peer },
            benchOptions({ runs: 3, seconds: 10, warmupSeconds: 3 }, quick),
          );
        } finally {
          await Promise.all(others.map((server) => server.stop()));
        }
        figures.push(...catalogue.figures);
        addSection({
          title: 'Floor, catalogue page and PostGraphile',
          command: 'npm run bench:catalogue',
          markdown: catalogue.markdown,
        });
      }
      if (parts.has('recommend')) {
        recommend = await measureRecommend(api, request, benchOptions(RECOMMEND_RUNS, quick));
        figures.push(...recommend.figures);
        addSection({ title: 'recommendedServices', command: 'npm run bench:recommend', markdown: recommend.markdown });
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
  if (parts.has('signals')) {
    signals = await measureSignals(signalsOptions(quick));
    figures.push(...signals.figures);
    addSection({ title: 'recordSignals against COPY', command: 'npm run bench:signals', markdown: signals.markdown });
  }
  if (parts.has('analytics') && small) {
    const analytics = await measureAnalytics(small.url, large.url, quick ? 2 : 7);
    figures.push(...analytics.figures);
    addSection({ title: 'Demand analytics', command: 'npm run bench:analytics', markdown: analytics.markdown });
  }
  if (parts.has('report')) {
    const reportFigures = await measureReport(large.url, quick ? 1 : 3);
    figures.push(...reportFigures.figures);
    addSection({ title: '30-day catalogue report', command: 'npm run bench:report', markdown: reportFigures.markdown });
  }
  const peaks = [catalogue?.rssMb, recommend?.rssMb, signals?.rssMb].filter((mb): mb is number => mb !== undefined);
  if (peaks.length > 0) {
    const peak = Math.max(...peaks);
    figures.push({
      name: `API server RSS under load (peak over the ${[catalogue && 'catalogue', recommend && 'recommend', signals && 'recordSignals'].filter(Boolean).join(', ')} loads)`,
      median: `${peak.toFixed(0)} MB`,
      p99: '',
      target: `≤ ${RSS_LIMIT_MB} MB`,
      met: peak <= RSS_LIMIT_MB,
    });
  }

  // Another job on the machine takes cores from the server, PostgreSQL and the load generator
  // alike. Only the load before the suite starts says so: the suite's own load counts later.
  const busy = loadAtStart > 1;
  const table = markdownTable(
    ['figure', 'median', 'p99', 'target', 'met'],
    figures.map((f) => [f.name, f.median, f.p99, f.target, verdict(f.met)]),
  );
  const context =
    `\`npm run bench${quick ? ' -- --quick' : ''}\`${parts.size < PARTS.length ? ` (only ${[...parts].join(', ')})` : ''}, ` +
    `started ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round((Date.now() - started.getTime()) / 60_000)} min; ${machine()}; ` +
    `1-minute load average ${loadAtStart.toFixed(2)} before the start; one API process in production mode (REPORT_SCHEDULE=false, per-caller rate budget lifted for the load generator), ` +
    `local PostgreSQL; datasets ${CITY.database} (${large.size.citizens.toLocaleString('en')} citizens, ${large.size.signals.toLocaleString('en')} signals, ` +
    `${large.size.services.toLocaleString('en')} services: \`${seedCommand(CITY)}\`)` +
    (small
      ? ` and ${CITY_TENTH.database} (${small.size.signals.toLocaleString('en')} signals: \`${seedCommand(CITY_TENTH)}\`)`
      : '') +
    '. Medians of the runs; p99 is the median of the runs’ p99 latencies (the slowest run where a run is a single timing).' +
    (busy
      ? `\n\n**Other work was running on the machine** (load average ${loadAtStart.toFixed(1)} on ${cpus().length} cores before the start): these figures understate what the server does on its own.`
      : '');
  const details = sections
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
