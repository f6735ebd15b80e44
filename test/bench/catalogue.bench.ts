// npm run bench:catalogue — the floor `{ __typename }` against a catalogue page (20 services
// with department, category and stats) over HTTP, server in production mode on PostgreSQL
// (DATABASE_URL, default …/minsheng_bench: the city-scale seed), anonymous callers, side by
// side in one run with the same page on a second API process without the anonymous response
// cache (anonymous, and with a citizen's token), on two API processes without it, and served
// by PostGraphile (test/bench/peer) from the same database.
import { Role, signToken } from '../../src/core/auth';
import { markdownTable, writeDocSection } from '../eval/doc-section';
import { CITY, databaseUrl as cityDatabaseUrl, withClient } from './datasets';
import { benchOptions, ms, type BenchOptions, type Figure } from './figures';
import { load, machine, sampleRss, startServerProcess, summarise, type LoadResult, type ServerHandle } from './harness';
import { CATALOGUE_PAGE, PEER_CATALOGUE_PAGE, checkSamePage, startPeerServer } from './peer';

const FLOOR = '{ __typename }';

/** The API's environment for anonymous load from one address: the per-caller budget lifted. */
export const ANONYMOUS_LOAD_ENV = {
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0001',
  NEIGHBOUR_REFRESH_MINUTES: '0',
  REPORT_SCHEDULE: 'false',
  // A scheduled ranking fit (a child process with a large heap) must not land inside a load.
  RANKING_FIT_HOURS: '0',
  RATE_LIMIT_POINTS: '100000000',
};

/** A second API process for the same page without the anonymous response cache. */
export const UNCACHED_ENV = { PORT: '4401', PUBLIC_CACHE_SECONDS: '0' };

/** The same without the cache on two server processes sharing one port (src/cluster.ts). */
export const TWO_PROCESSES_ENV = { PORT: '4461', PUBLIC_CACHE_SECONDS: '0', WEB_CONCURRENCY: '2' };

/** A bearer token of the first citizen of `databaseUrl`, signed with the benchmark's secret. */
export async function citizenToken(databaseUrl: string): Promise<string> {
  const id = await withClient(
    databaseUrl,
    async (client) => (await client.query('SELECT id FROM citizen ORDER BY id LIMIT 1')).rows[0]?.id as string,
  );
  if (!id) throw new Error('a citizen token needs a citizen in the database');
  return signToken({ sub: id, role: Role.CITIZEN }, ANONYMOUS_LOAD_ENV.JWT_SECRET);
}

export interface CatalogueFigures {
  floor: LoadResult;
  page: LoadResult;
  uncachedPage: LoadResult | null;
  tokenPage: LoadResult | null;
  twoProcessPage: LoadResult | null;
  peer: LoadResult | null;
  /** Peak resident memory of the API process during its loads. */
  rssMb: number;
  figures: Figure[];
  markdown: string;
}

async function runs(
  url: string,
  query: string,
  connections: number,
  options: BenchOptions,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  const body = JSON.stringify({ query });
  await load(url, { connections, seconds: options.warmupSeconds, request: () => ({ body, headers }) });
  const results = [];
  for (let run = 0; run < options.runs; run += 1)
    results.push(await load(url, { connections, seconds: options.seconds, request: () => ({ body, headers }) }));
  return summarise(results);
}

/**
 * What measureCatalogue loaded: the floor and the page, and when measured the page uncached
 * (anonymous, with a citizen's token, on two processes) and on PostGraphile.
 */
interface CatalogueLoads {
  floor: LoadResult;
  page: LoadResult;
  uncachedPage: LoadResult | null;
  tokenPage: LoadResult | null;
  twoProcessPage: LoadResult | null;
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
function catalogueRatios({ floor, page, uncachedPage, tokenPage, twoProcessPage, peerPage }: CatalogueLoads) {
  const versus = (load: LoadResult | null) =>
    peerPage && load ? load.requestsPerSecond / peerPage.requestsPerSecond : null;
  return {
    ratio: page.requestsPerSecond / floor.requestsPerSecond,
    versusPeer: versus(page),
    uncachedVersusPeer: versus(uncachedPage),
    tokenVersusPeer: versus(tokenPage),
    twoProcessesVersusPeer: versus(twoProcessPage),
  };
}

/** The page on two API processes against PostGraphile on one: the target. */
const TWO_PROCESSES_TARGET = 1.2;

/** The summary line under the table. */
function catalogueSummary(loads: CatalogueLoads, connections: number, options: BenchOptions, rssMb: number): string {
  const { ratio, versusPeer, uncachedVersusPeer, tokenVersusPeer, twoProcessesVersusPeer } = catalogueRatios(loads);
  return (
    `${connections} concurrent clients, ${options.runs} runs of ${options.seconds} s each after a ${options.warmupSeconds} s warm-up, medians; ` +
    `one API process in production mode (two for the row that says so) and one PostGraphile process, same PostgreSQL database; ${machine()}; measured ${new Date().toISOString().slice(0, 10)}. ` +
    `Catalogue page / floor = ${ratio.toFixed(2)} (target ≥ 0.5)` +
    (versusPeer === null ? '' : `; API / PostGraphile on the same page = ${versusPeer.toFixed(2)} (target ≥ 1)`) +
    (uncachedVersusPeer === null
      ? '.'
      : `, ${uncachedVersusPeer.toFixed(2)} with the API's anonymous response cache off (PostGraphile caches no responses).`) +
    (tokenVersusPeer === null
      ? ''
      : ` With a citizen's token (never cached): ${tokenVersusPeer.toFixed(2)} (target ≥ 1).`) +
    (twoProcessesVersusPeer === null
      ? ''
      : ` Cache off on two API processes against PostGraphile on one: ${twoProcessesVersusPeer.toFixed(2)} (target ≥ ${TWO_PROCESSES_TARGET}).`) +
    ` Peak API RSS during these loads (one process): ${rssMb.toFixed(0)} MB.`
  );
}

/** The suite's figures of the catalogue loads, with their targets. */
function catalogueFigures(loads: CatalogueLoads, connections: number): Figure[] {
  const { floor, page, uncachedPage, tokenPage, twoProcessPage, peerPage } = loads;
  const { ratio, versusPeer, uncachedVersusPeer, tokenVersusPeer, twoProcessesVersusPeer } = catalogueRatios(loads);
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
  if (tokenPage) {
    figures.push({
      name: `same page with a citizen's token (never cached), ${connections} clients`,
      median: `${tokenPage.requestsPerSecond.toFixed(0)} req/s`,
      p99: ms(tokenPage.p99),
      target: tokenVersusPeer === null ? '' : `≥ PostGraphile: ${tokenVersusPeer.toFixed(2)}×`,
      met: tokenVersusPeer === null ? null : tokenVersusPeer >= 1,
    });
  }
  if (twoProcessPage) {
    figures.push({
      name: `same page, cache off, 2 API processes, ${connections} clients`,
      median: `${twoProcessPage.requestsPerSecond.toFixed(0)} req/s`,
      p99: ms(twoProcessPage.p99),
      target:
        twoProcessesVersusPeer === null
          ? ''
          : `≥ ${TWO_PROCESSES_TARGET}× PostGraphile on 1: ${twoProcessesVersusPeer.toFixed(2)}×`,
      met: twoProcessesVersusPeer === null ? null : twoProcessesVersusPeer >= TWO_PROCESSES_TARGET,
    });
  }
  return figures;
}

/**
 * Floor and page, then (when given) the page on an API whose anonymous response cache is off
 * (PUBLIC_CACHE_SECONDS=0), anonymous and with a citizen's token (`token`), on two such
 * processes (`twoProcessApi`) and on PostGraphile, which has no such cache, one after the other.
 */
export async function measureCatalogue(
  api: ServerHandle,
  servers: {
    uncachedApi?: ServerHandle | null;
    twoProcessApi?: ServerHandle | null;
    peer?: ServerHandle | null;
    token?: string | null;
  },
  options: BenchOptions,
  connections = 8,
): Promise<CatalogueFigures> {
  const { uncachedApi = null, twoProcessApi = null, peer = null, token = null } = servers;
  if (peer) await checkSamePage(api.url, peer.url);
  if (peer && uncachedApi) await checkSamePage(uncachedApi.url, peer.url);
  if (peer && twoProcessApi) await checkSamePage(twoProcessApi.url, peer.url);
  const rss = sampleRss(api.process.pid!);
  const floor = await runs(api.url, FLOOR, connections, options);
  const page = await runs(api.url, CATALOGUE_PAGE, connections, options);
  let rssMb = rss.stop();
  let uncachedPage: LoadResult | null = null;
  let tokenPage: LoadResult | null = null;
  if (uncachedApi) {
    const uncachedRss = sampleRss(uncachedApi.process.pid!);
    uncachedPage = await runs(uncachedApi.url, CATALOGUE_PAGE, connections, options);
    if (token) {
      const headers = { authorization: `Bearer ${token}` };
      tokenPage = await runs(uncachedApi.url, CATALOGUE_PAGE, connections, options, headers);
    }
    rssMb = Math.max(rssMb, uncachedRss.stop());
  }
  const twoProcessPage = twoProcessApi ? await runs(twoProcessApi.url, CATALOGUE_PAGE, connections, options) : null;
  const peerPage = peer ? await runs(peer.url, PEER_CATALOGUE_PAGE, connections, options) : null;

  const loads: CatalogueLoads = { floor, page, uncachedPage, tokenPage, twoProcessPage, peerPage };
  const rows = [
    loadRow('floor { __typename }', floor),
    loadRow('catalogue page (20 services)', page),
    ...(uncachedPage ? [loadRow('same page, response cache off', uncachedPage)] : []),
    ...(tokenPage ? [loadRow("same page, a citizen's token (never cached)", tokenPage)] : []),
    ...(twoProcessPage ? [loadRow('same page, response cache off, 2 API processes', twoProcessPage)] : []),
    ...(peerPage ? [loadRow('same page, PostGraphile 4', peerPage)] : []),
  ];
  const table = markdownTable(['query', 'requests/s (median)', 'p50 ms', 'p99 ms', 'errors'], rows);
  const markdown = `${table}\n\n${catalogueSummary(loads, connections, options, rssMb)}`;
  const figures = catalogueFigures(loads, connections);
  return { floor, page, uncachedPage, tokenPage, twoProcessPage, peer: peerPage, rssMb, figures, markdown };
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
    const twoProcessApi = await startServerProcess({
      DATABASE_URL: databaseUrl,
      ...ANONYMOUS_LOAD_ENV,
      ...TWO_PROCESSES_ENV,
    });
    servers.push(twoProcessApi);
    const peer = process.argv.includes('--no-peer') ? null : await startPeerServer(databaseUrl);
    if (peer) servers.push(peer);
    const token = await citizenToken(databaseUrl);
    const result = await measureCatalogue(api, { uncachedApi, twoProcessApi, peer, token }, options, connections);
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
