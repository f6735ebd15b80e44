// Preloaded into the API server by tools/gc-window.mjs (node --require tools/gc-window.cjs):
// SIGUSR2 opens a measuring window and the next closes it. In the window: the HTTP requests
// served, process.memoryUsage() every 50 ms (arrayBuffers: the memory outside the heap), and
// with GC_WINDOW_HEAP=1 V8's sampling heap profiler — odd windows without the objects that
// scavenges freed ("promoted": what survived the young generation, plus young garbage that a
// full collection freed), even windows with them ("all": what was allocated) — written as
// sites by bytes per request to <GC_WINDOW_DIR>/<pid>-heap-{promoted,all}.txt.
const inspector = require('node:inspector');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { allocationSites } = require('./allocation-sites.cjs');

const dir = process.env.GC_WINDOW_DIR ?? '/tmp';
const heap = process.env.GC_WINDOW_HEAP === '1';
let requests = 0;
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === 'request') requests += 1;
  return emit.call(this, event, ...args);
};
const session = new inspector.Session();
session.connect();
let open = false;
let windows = 0;
let minor = false;
let firstRequest = 0;
let timer;
let samples = [];

function sites(profile, served) {
  const { total, sites: bySite } = allocationSites(profile, 3);
  let out = `requests ${served}; sampled ${(total / 1e6).toFixed(1)} MB; ${(total / served / 1024).toFixed(1)} KB per request\n`;
  for (const [site, bytes] of bySite.slice(0, 80))
    out += `${((100 * bytes) / total).toFixed(1).padStart(5)}% ${(bytes / served).toFixed(0).padStart(7)} B/req  ${site}\n`;
  return out;
}

process.on('SIGUSR2', () => {
  if (!open) {
    open = true;
    windows += 1;
    minor = windows % 2 === 0;
    firstRequest = requests;
    samples = [];
    timer = setInterval(() => {
      const m = process.memoryUsage();
      samples.push([Date.now(), requests, m.arrayBuffers, m.external, m.heapUsed].join(' '));
    }, 50);
    if (heap)
      session.post('HeapProfiler.enable', () =>
        session.post('HeapProfiler.startSampling', {
          samplingInterval: 8192,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: minor,
        }),
      );
    return;
  }
  open = false;
  clearInterval(timer);
  const served = requests - firstRequest;
  fs.writeFileSync(path.join(dir, `${process.pid}-memory-${windows}.txt`), `${samples.join('\n')}\n`);
  if (!heap) return;
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) return;
    const name = `${process.pid}-heap-${minor ? 'all' : 'promoted'}.txt`;
    fs.writeFileSync(path.join(dir, name), sites(result.profile, served));
  });
});
