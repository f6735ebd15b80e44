// DATABASE_URL=… [N=300] node tools/ranking-compare.cjs <out.json> <graphql url> [<graphql url>]
// Ranks N citizens (drawn by md5 of their id) on each server in turn, as themselves (tokens signed
// with the benchmark's secret: start the servers with JWT_SECRET as test/bench/recommend.bench.ts
// does): recommendedServices first 10, first 40 (every third), one category (every fifth) and the
// page after the first. Writes the answers; with two servers, compares them: ids, order, ranks,
// cursors, reasons' kinds and messages must be the same; scores and weights are reported by their
// largest relative difference (two processes decay their copies of shared demand at different
// instants, which moves them by about 1e-6). docs/benchmarks.md, "CPU per ranking".
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const { signToken, Role } = require(path.join(root, 'dist/src/core/auth'));
const { Client } = require(path.join(root, 'node_modules/pg'));
const fs = require('fs');
const SECRET = 'bench-secret-bench-secret-bench-secret-0001';
const N = Number(process.env.N ?? 300);
const FIELDS = `personalized edges { cursor node { score rank reasons { kind weight message } service { id title } } } pageInfo { hasNextPage }`;
async function main() {
  const [out, ...urls] = process.argv.slice(2);
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const ids = (await db.query(`SELECT id FROM citizen ORDER BY md5(id::text || 'x') LIMIT $1`, [N])).rows.map((r) => r.id);
  const cats = (await db.query(`SELECT code FROM category ORDER BY code`)).rows.map((r) => r.code);
  await db.end();
  const results = urls.map(() => []);
  async function ask(url, token, query) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    return res.json();
  }
  for (const [i, id] of ids.entries()) {
    const token = await signToken({ sub: id, role: Role.CITIZEN }, SECRET, '2h');
    const cat = cats[i % cats.length];
    const queries = [
      `{ recommendedServices(first: 10) { ${FIELDS} } }`,
      i % 3 === 0 ? `{ recommendedServices(first: 40) { ${FIELDS} } }` : null,
      i % 5 === 0 ? `{ recommendedServices(first: 10, categoryCode: "${cat}") { ${FIELDS} } }` : null,
    ].filter(Boolean);
    for (const q of queries) for (const [u, url] of urls.entries()) results[u].push(await ask(url, token, q));
    // second page through the first answer's last cursor
    for (const [u, url] of urls.entries()) {
      const first = results[u][results[u].length - queries.length];
      const edges = first.data?.recommendedServices?.edges ?? [];
      if (edges.length) results[u].push(await ask(url, token, `{ recommendedServices(first: 10, after: "${edges[edges.length - 1].cursor}") { ${FIELDS} } }`));
    }
  }
  fs.writeFileSync(out, JSON.stringify(results));
  if (urls.length === 2) compare(results[0], results[1]);
}
var maxRel = 0;
function close(a, b) { const r = a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)); maxRel = Math.max(maxRel, r); return true; }
function compare(a, b) {
  let diffs = 0, edges = 0, errors = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i].errors || b[i].errors) { errors++; if (JSON.stringify(a[i].errors) !== JSON.stringify(b[i].errors)) { diffs++; console.log('errors differ', i); } continue; }
    const ea = a[i].data.recommendedServices.edges, eb = b[i].data.recommendedServices.edges;
    if (ea.length !== eb.length || a[i].data.recommendedServices.pageInfo.hasNextPage !== b[i].data.recommendedServices.pageInfo.hasNextPage || a[i].data.recommendedServices.personalized !== b[i].data.recommendedServices.personalized) { diffs++; console.log('length differs', i); continue; }
    for (let j = 0; j < ea.length; j++) {
      edges++;
      const x = ea[j].node, y = eb[j].node;
      let same = ea[j].cursor === eb[j].cursor && x.service.id === y.service.id && x.service.title === y.service.title && x.rank === y.rank && close(x.score, y.score) && x.reasons.length === y.reasons.length;
      if (same) for (let k = 0; k < x.reasons.length; k++) same = same && x.reasons[k].kind === y.reasons[k].kind && x.reasons[k].message === y.reasons[k].message && close(x.reasons[k].weight, y.reasons[k].weight);
      if (!same) { diffs++; if (diffs < 5) console.log('differs', i, j, JSON.stringify(x), JSON.stringify(y)); }
    }
  }
  console.log(`answers ${a.length}, edges ${edges}, error answers ${errors}, differences in ids, order, ranks, kinds or messages ${diffs}, largest relative difference of a score or weight ${maxRel.toExponential(2)}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
