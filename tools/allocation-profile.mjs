// node tools/allocation-profile.mjs <script.js> [top]: runs a built script (e.g.
// dist/test/bench/scoring.bench.js) under V8's sampling heap profiler with the objects that
// garbage collections freed kept in the samples, so that it counts what the script allocated,
// not what stayed live; prints the sampled total and the allocation sites by bytes. Used for
// docs/benchmarks.md, "What one ranking allocates".
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { allocationSites } from './allocation-sites.cjs';

const [script, topArg] = process.argv.slice(2);
if (!script) {
  console.error('usage: node tools/allocation-profile.mjs <script.js> [top]');
  process.exit(2);
}
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 4096,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
createRequire(import.meta.url)(path.resolve(script));
const { profile } = await session.post('HeapProfiler.stopSampling');

const { total, sites } = allocationSites(profile, 2);
console.log(`sampled allocations: ${(total / 1e6).toFixed(1)} MB`);
for (const [site, bytes] of sites.slice(0, Number(topArg ?? 20))) {
  console.log(`${((100 * bytes) / total).toFixed(1).padStart(5)}% ${(bytes / 1e6).toFixed(1).padStart(8)} MB  ${site}`);
}
