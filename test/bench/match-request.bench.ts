// Latency of request understanding (what matchRequest computes in memory) on the seeded catalogue:
// `npm run build && node dist/test/bench/match-request.bench.js`. Texts: the needs' own trigger phrases
// and the services' titles, so that nothing of the evaluation files is read.
import { performance } from 'node:perf_hooks';
import { buildUnderstander } from '../eval/requests.eval';
import { seededNeedsModel } from '../../src/modules/needs/needs-data';

const started = performance.now();
const understander = buildUnderstander();
const built = performance.now() - started;
const texts = seededNeedsModel().needs.flatMap((n) => n.triggers.slice(0, 3));
for (const text of texts.slice(0, 50)) understander.understand(text);
const times: number[] = [];
for (const text of texts) {
  const at = performance.now();
  understander.understand(text, { limit: 5 });
  times.push(performance.now() - at);
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
console.log(`built in ${built.toFixed(0)} ms; ${times.length} requests: median ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms`);
