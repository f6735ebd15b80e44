// npm run bench:catalogue — the floor `{ __typename }` against a catalogue page (20 services
// with department, category and stats) over HTTP, server in production mode on PostgreSQL
// (DATABASE_URL, default …/minsheng_bench: the city-scale seed), anonymous callers, side by
// side in one run with the same page on a second API process without the anonymous response
// cache, and served by PostGraphile (test/bench/peer) from the same database.
import { markdownTable, writeDocSection } from '../eval/doc-section';
import { CITY, databaseUrl as cityDatabaseUrl } from './datasets';
import { benchOptions, ms, type BenchOptions, type Figure } from './figures';
import { load, machine, sampleRss, startServerProcess, summarise, type LoadResult, type ServerHandle } from './harness';
import { CATALOGUE_PAGE, PEER_CATALOGUE_PAGE, checkSamePage, startPeerServer } from './peer';

const FLOOR = '{ __typename }';

/** The API's environment for anonymous load from one address: the per-caller budget lifted. */
export const ANONYMOUS_LOAD_ENV = {
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0001',
  NEIGHBOUR_REFRESH_MINUTES: '0',
  REPORT_SCHEDULE: 'false',
  RATE_LIMIT_POINTS: '100000000',
};

/** A second API process for the same page without the anonymous response cache. */
export const UNCACHED_ENV = { PORT: '4401', PUBLIC_CACHE_SECONDS: '0' };

export interface CatalogueFigures {
  floor: LoadResult;
  page: LoadResult;
  uncachedPage: LoadResult | null;
  peer: LoadResult | null;
  /** Peak resident memory of the API process during its loads. */
  rssMb: number;
  figures: Figure[];
  markdown: string;
}

async function runs(url: string, query: string, connections: number, options: BenchOptions): Promise<LoadResult> {
  const body = JSON.stringify({ query });
  await load(url, { connections, seconds: options.warmupSeconds, request: () => ({ body }) });
  const results = [];
  for (let run = 0; run < options.runs; run += 1)
    results.push(await load(url, { connections, seconds: options.seconds, request: () => ({ body }) }));
  return summarise(results);
}

/** What measureCatalogue loaded: the floor and the page, and the page uncached and on PostGraphile when measured. */
interface CatalogueLoads {
  floor: LoadResult;
  page: LoadResult;
  uncachedPage: LoadResult | null;
  peerPage: LoadResult | null;
}

/** A table row of a load: requests/s, p50, p99, errors. */
const loadRow = (label: string, r: LoadResult): (string | number)[] => [
  label,
  r.requestsPerSecond.toFixed(0),
  r.p50.toFixed(1),
  r.p99.toFixed(1),
  r.errors + r.non2xx,
];

/** The page against the floor, and the API against PostGraphile (uncached too, when measured). */
function catalogueRatios({ floor, page, uncachedPage, peerPage }: CatalogueLoads) {
  return {
    ratio: page.requestsPerSecond / floor.requestsPerSecond,
    versusPeer: peerPage ? page.requestsPerSecond / peerPage.requestsPerSecond : null,
    uncachedVersusPeer: peerPage && uncachedPage ? uncachedPage.requestsPerSecond / peerPage.requestsPerSecond : null,
  };
}

/** The summary line under the table. */
function catalogueSummary(loads: CatalogueLoads, connections: number, options: BenchOptions, rssMb: number): string {
  const { ratio, versusPeer, uncachedVersusPeer } = catalogueRatios(loads);
  return (
    `${connections} concurrent clients, ${options.runs} runs of ${options.seconds} s each after a ${options.warmupSeconds} s warm-up, medians; ` +
    `one API process in production mode and one PostGraphile process, same PostgreSQL database; ${machine()}; measured ${new Date().toISOString().slice(0, 10)}. ` +
    `Catalogue page / floor = ${ratio.toFixed(2)} (target ≥ 0.5)` +
    (versusPeer === null ? '' : `; API / PostGraphile on the same page = ${versusPeer.toFixed(2)} (target ≥ 1)`) +
    (uncachedVersusPeer === null
      ? '.'
      : `, ${uncachedVersusPeer.toFixed(2)} with the API's anonymous response cache off (PostGraphile caches no responses).`) +
    ` Peak API RSS during these loads: ${rssMb.toFixed(0)} MB.`
  );
}

/** The suite's figures of the catalogue loads, with their targets. */
function catalogueFigures(loads: CatalogueLoads, connections: number): Figure[] {
  const { floor, page, uncachedPage, peerPage } = loads;
  const { ratio, versusPeer, uncachedVersusPeer } = catalogueRatios(loads);
  const figures: Figure[] = [
    {
      name: `floor \`{ __typename }\`, ${connections} clients`,
      median: `${floor.requestsPerSecond.toFixed(0)} req/s`,
      p99: ms(floor.p99),
      target: '',
      met: null,
    },
    {
      name: `catalogue page (20 services), ${connections} clients`,
      median: `${page.requestsPerSecond.toFixed(0)} req/s`,
      p99: ms(page.p99),
      target: `≥ 50% of the floor: ${(ratio * 100).toFixed(0)}%`,
      met: ratio >= 0.5,
    },
  ];
  if (uncachedPage) {
    figures.push({
      name: `same page, API response cache off, ${connections} clients`,
      median: `${uncachedPage.requestsPerSecond.toFixed(0)} req/s`,
      p99: ms(uncachedPage.p99),
      target: '',
      met: null,
    });
  }
  if (peerPage && versusPeer !== null) {
    // Judged on the uncached page when it was measured: PostGraphile answers every request from the database.
    const judged = uncachedVersusPeer ?? versusPeer;
    figures.push({
      name: `same page on PostGraphile 4, ${connections} clients`,
      median: `${peerPage.requestsPerSecond.toFixed(0)} req/s`,
      p99: ms(peerPage.p99),
      target:
        `API ≥ PostGraphile: ${versusPeer.toFixed(2)}×` +
        (uncachedVersusPeer === null ? '' : `, cache off ${uncachedVersusPeer.toFixed(2)}×`),
      met: judged >= 1,
    });
  }
  return figures;
}

/**
 * Floor and page, then (when given) the page on an API whose anonymous response cache is off
 * (PUBLIC_CACHE_SECONDS=0) and on PostGraphile, which has no such cache, one after the other.
 */
export async function measureCatalogue(
  api: ServerHandle,
  servers: { uncachedApi?: ServerHandle | null; peer?: ServerHandle | null },
  options: BenchOptions,
  connections = 8,
): Promise<CatalogueFigures> {
  const { uncachedApi = null, peer = null } = servers;
  if (peer) await checkSamePage(api.url, peer.url);
  if (peer && uncachedApi) await checkSamePage(uncachedApi.url, peer.url);
  const rss = sampleRss(api.process.pid!);
  const floor = await runs(api.url, FLOOR, connections, options);
  const page = await runs(api.url, CATALOGUE_PAGE, connections, options);
  let rssMb = rss.stop();
  let uncachedPage: LoadResult | null = null;
  if (uncachedApi) {
    const uncachedRss = sampleRss(uncachedApi.process.pid!);
    uncachedPage = await runs(uncachedApi.url, CATALOGUE_PAGE, connections, options);
    rssMb = Math.max(rssMb, uncachedRss.stop());
  }
  const peerPage = peer ? await runs(peer.url, PEER_CATALOGUE_PAGE, connections, options) : null;

  const loads: CatalogueLoads = { floor, page, uncachedPage, peerPage };
  const rows = [
    loadRow('floor { __typename }', floor),
    loadRow('catalogue page (20 services)', page),
    ...(uncachedPage ? [loadRow('same page, response cache off', uncachedPage)] : []),
    ...(peerPage ? [loadRow('same page, PostGraphile 4', peerPage)] : []),
  ];
  const table = markdownTable(['query', 'requests/s (median)', 'p50 ms', 'p99 ms', 'errors'], rows);
  const markdown = `${table}\n\n${catalogueSummary(loads, connections, options, rssMb)}`;
  const figures = catalogueFigures(loads, connections);
  return { floor, page, uncachedPage, peer: peerPage, rssMb, figures, markdown };
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? cityDatabaseUrl(CITY.database);
  const options = benchOptions({ runs: 3, seconds: 10, warmupSeconds: 3 });
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
  const servers: ServerHandle[] = [];
  try {
    const api = await startServerProcess({ DATABASE_URL: databaseUrl, ...ANONYMOUS_LOAD_ENV });
    servers.push(api);
    const uncachedApi = await startServerProcess({ DATABASE_URL: databaseUrl, ...ANONYMOUS_LOAD_ENV, ...UNCACHED_ENV });
    servers.push(uncachedApi);
    const peer = process.argv.includes('--no-peer') ? null : await startPeerServer(databaseUrl);
    if (peer) servers.push(peer);
    const result = await measureCatalogue(api, { uncachedApi, peer }, options, connections);
    console.log(result.markdown);
    if (!process.argv.includes('--no-write') && !process.argv.includes('--quick'))
      writeDocSection('benchmarks.md', 'catalogue', result.markdown);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
