// DATABASE_URL=… [WARM=6000] node tools/cpu-pair.cjs <rounds> <rankings> a=<port>:<pid> b=<port>:<pid>
// Two running API servers (two builds) loaded at the same time with recommendedServices as
// `npm run bench:recommend` sends it (its 5,000 citizens cycled, 8 clients each), so that both
// see the same machine: per round, each server's user + system CPU (from /proc) per ranking,
// and b's over a's. After WARM rankings each (the text memos filled). The one that finishes
// first runs alone for the rest of the round, which favours the slower: the ratio is, if
// anything, conservative. docs/benchmarks.md, "CPU per ranking".
const fs = require('fs'); const os = require('os');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const autocannon = require(path.join(root, 'node_modules/autocannon'));
const { recommendRequests } = require(path.join(root, 'dist/test/bench/recommend.bench.js'));
const [rounds, amount, ...specs] = process.argv.slice(2);
const servers = specs.map((s) => { const [name, rest] = s.split('='); const [port, pid] = rest.split(':'); return { name, port, pid, runs: [] }; });
function cpuMs(pid) { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return ((+f[11]) + (+f[12])) * 10; }
function run(url, request, amount) {
  return new Promise((resolve, reject) => autocannon({ url, method: 'POST', connections: 8, amount, headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (r) => { const { body, headers } = request(); return { ...r, body, headers: { ...r.headers, ...headers } }; } }] }, (e, res) => e ? reject(e) : resolve(res)));
}
const med = (xs) => { const a = [...xs].sort((x, y) => x - y); return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2; };
(async () => {
  for (const s of servers) s.request = await recommendRequests(process.env.DATABASE_URL);
  if (process.env.WARM) await Promise.all(servers.map((s) => run(`http://127.0.0.1:${s.port}/graphql`, s.request, Number(process.env.WARM))));
  for (let r = 0; r < Number(rounds); r++) {
    const load = os.loadavg()[0];
    await Promise.all(servers.map(async (s) => {
      const before = cpuMs(s.pid);
      const res = await run(`http://127.0.0.1:${s.port}/graphql`, s.request, Number(amount));
      const ms = (cpuMs(s.pid) - before) / res.requests.total;
      s.runs.push({ load, ms, p50: res.latency.p50, p99: res.latency.p99 });
      console.log(`${s.name} round ${r + 1} load ${load.toFixed(2)} cpu ${ms.toFixed(3)} ms/ranking p50 ${res.latency.p50} p99 ${res.latency.p99} bad ${res.non2xx + res.errors}`);
    }));
  }
  for (const s of servers) console.log(`${s.name} median: cpu ${med(s.runs.map((x) => x.ms)).toFixed(3)} ms/ranking (${Math.min(...s.runs.map((x) => x.ms)).toFixed(3)}–${Math.max(...s.runs.map((x) => x.ms)).toFixed(3)}), p50 ${med(s.runs.map((x) => x.p50))}, p99 ${med(s.runs.map((x) => x.p99))}`);
  const ratios = servers[0].runs.map((x, i) => servers[1].runs[i].ms / x.ms);
  console.log(`${servers[1].name}/${servers[0].name} per round: ${ratios.map((x) => x.toFixed(3)).join(', ')}; median ${med(ratios).toFixed(3)}`);
})().catch((e) => { console.error(e); process.exit(1); });
