// The allocation sites of a sampling heap profile (HeapProfiler.stopSampling's `profile`): bytes
// per function and file (its last `pathParts` path segments) and line, largest first, with the
// sampled total. Shared by allocation-profile.mjs and gc-window.cjs.
function allocationSites(profile, pathParts) {
  const bySite = new Map();
  const visit = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const site = `${functionName || '(anonymous)'} ${url.split('/').slice(-pathParts).join('/')}:${lineNumber + 1}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    node.children.forEach(visit);
  };
  visit(profile.head);
  const total = [...bySite.values()].reduce((sum, bytes) => sum + bytes, 0);
  return { total, sites: [...bySite].sort((a, b) => b[1] - a[1]) };
}

module.exports = { allocationSites };
