// The PostGraphile reference server of test/bench/peer: its own package.json and lockfile,
// installed there on first use (never part of the project's dependencies).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, assertNothingListens, waitForGraphql, type ServerHandle } from './harness';

const PEER_DIR = path.join(ROOT, 'test', 'bench', 'peer');

/** The catalogue page of the API: 20 published services by title, with department, category and stats. */
export const CATALOGUE_PAGE = `query Page { services(first: 20, orderBy: TITLE) { totalCount edges { node {
  id title department { id name } category { id name } stats { upvotes downvotes voteScore ratingAverage uses30d views30d } } } } }`;

/** The same page in PostGraphile's naming; ordered by title then id, as the API orders it. */
export const PEER_CATALOGUE_PAGE = `query Page { allServices(first: 20, orderBy: [TITLE_ASC, ID_ASC], condition: { status: PUBLISHED }) {
  totalCount nodes { id title departmentByDepartmentId { id name } categoryByCategoryId { id name }
  serviceStatByServiceId { upvotes downvotes } voteScore ratingAverage uses30D views30D } } }`;

export function ensurePeerInstalled(): void {
  if (existsSync(path.join(PEER_DIR, 'node_modules', 'postgraphile'))) return;
  console.log('installing the PostGraphile peer: npm ci --prefix test/bench/peer');
  execFileSync('npm', ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
}

export async function startPeerServer(databaseUrl: string, port = '4450'): Promise<ServerHandle> {
  ensurePeerInstalled();
  await assertNothingListens(port);
  const child = spawn(process.execPath, [path.join(PEER_DIR, 'server.mjs')], {
    cwd: PEER_DIR,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, PORT: port },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return waitForGraphql(child, `http://127.0.0.1:${port}/graphql`);
}

interface PageService {
  id: string;
  title: string;
  department: string;
  category: string;
  upvotes: number;
  downvotes: number;
  voteScore: number;
  ratingAverage: number | null;
  uses30d: number;
  views30d: number;
}

async function post(url: string, query: string): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (!response.ok || body.errors) throw new Error(`${url}: ${response.status} ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** Both servers must return the same 20 services with the same figures before they are compared. */
export async function checkSamePage(apiUrl: string, peerUrl: string): Promise<void> {
  const api = await post(apiUrl, CATALOGUE_PAGE);
  const peer = await post(peerUrl, PEER_CATALOGUE_PAGE);
  const fromApi: PageService[] = api.services.edges.map(({ node }: any) => ({
    id: node.id,
    title: node.title,
    department: node.department.name,
    category: node.category.name,
    upvotes: node.stats.upvotes,
    downvotes: node.stats.downvotes,
    voteScore: node.stats.voteScore,
    ratingAverage: node.stats.ratingAverage,
    uses30d: node.stats.uses30d,
    views30d: node.stats.views30d,
  }));
  const fromPeer: PageService[] = peer.allServices.nodes.map((node: any) => ({
    id: node.id,
    title: node.title,
    department: node.departmentByDepartmentId.name,
    category: node.categoryByCategoryId.name,
    upvotes: node.serviceStatByServiceId?.upvotes ?? 0,
    downvotes: node.serviceStatByServiceId?.downvotes ?? 0,
    voteScore: node.voteScore,
    ratingAverage: node.ratingAverage,
    uses30d: node.uses30D,
    views30d: node.views30D,
  }));
  const round = (services: PageService[]) =>
    JSON.stringify(
      services.map((s) => ({
        ...s,
        voteScore: s.voteScore.toFixed(9),
        ratingAverage: s.ratingAverage?.toFixed(9) ?? null,
      })),
    );
  if (
    fromApi.length !== 20 ||
    api.services.totalCount !== peer.allServices.totalCount ||
    round(fromApi) !== round(fromPeer)
  ) {
    throw new Error(
      `the API and PostGraphile return different catalogue pages:\nAPI (${api.services.totalCount}): ${round(fromApi)}\n` +
        `PostGraphile (${peer.allServices.totalCount}): ${round(fromPeer)}`,
    );
  }
}
