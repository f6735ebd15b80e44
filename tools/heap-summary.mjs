// node tools/heap-summary.mjs <file.heapsnapshot> [top]: what a V8 heap snapshot holds — self
// size per node type and constructor, and the largest retained sizes (dominator tree) with the
// path of edges that reaches each from the roots. HEAP_TREE_MIN_MB (default 1): the smallest
// structure the dominator tree at the end shows. Snapshots: docs/benchmarks.md, "The live heap".
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node tools/heap-summary.mjs <file.heapsnapshot> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 40);
const snapshot = JSON.parse(readFileSync(file, 'utf8'));
const { meta } = snapshot.snapshot;
const nodeFields = meta.node_fields;
const edgeFields = meta.edge_fields;
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const NF = nodeFields.length;
const EF = edgeFields.length;
const nType = nodeFields.indexOf('type');
const nName = nodeFields.indexOf('name');
const nSelf = nodeFields.indexOf('self_size');
const nEdgeCount = nodeFields.indexOf('edge_count');
const eType = edgeFields.indexOf('type');
const eName = edgeFields.indexOf('name_or_index');
const eTo = edgeFields.indexOf('to_node');
const { nodes, edges, strings } = snapshot;
const count = nodes.length / NF;

const firstEdge = new Uint32Array(count + 1);
for (let i = 0, e = 0; i < count; i++) {
  firstEdge[i] = e;
  e += nodes[i * NF + nEdgeCount] * EF;
  firstEdge[i + 1] = e;
}
const weakType = edgeTypes.indexOf('weak');
const shortcutType = edgeTypes.indexOf('shortcut');
const targetOf = (e) => edges[e + eTo] / NF;
const strong = (e) => edges[e + eType] !== weakType && edges[e + eType] !== shortcutType;

const typeName = (i) => nodeTypes[nodes[i * NF + nType]];
const nameOf = (i) => strings[nodes[i * NF + nName]];
const label = (i) => {
  const type = typeName(i);
  if (type === 'object' || type === 'closure' || type === 'native') return `${type}:${nameOf(i)}`;
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return 'string';
  return `${type}:${nameOf(i)}`.slice(0, 60);
};

// Self size by label.
const bySelf = new Map();
let total = 0;
for (let i = 0; i < count; i++) {
  const size = nodes[i * NF + nSelf];
  total += size;
  const key = label(i);
  const entry = bySelf.get(key) ?? { size: 0, count: 0 };
  entry.size += size;
  entry.count += 1;
  bySelf.set(key, entry);
}

// Dominators (Cooper, Harvey and Kennedy) over the strong edges from node 0 (the root).
const order = new Int32Array(count).fill(-1); // post-order number
const byOrder = new Uint32Array(count);
let reachable = 0;
{
  const stack = [0];
  const edgeAt = new Uint32Array(count);
  const seen = new Uint8Array(count);
  seen[0] = 1;
  edgeAt[0] = firstEdge[0];
  let n = 0;
  while (stack.length > 0) {
    const v = stack[stack.length - 1];
    let pushed = false;
    while (edgeAt[v] < firstEdge[v + 1]) {
      const e = edgeAt[v];
      edgeAt[v] += EF;
      if (!strong(e)) continue;
      const w = targetOf(e);
      if (seen[w]) continue;
      seen[w] = 1;
      edgeAt[w] = firstEdge[w];
      stack.push(w);
      pushed = true;
      break;
    }
    if (!pushed) {
      stack.pop();
      order[v] = n;
      byOrder[n] = v;
      n += 1;
    }
  }
  reachable = n;
}
// Predecessors by post-order number.
const predCount = new Uint32Array(count + 1);
for (let v = 0; v < count; v++) {
  if (order[v] < 0) continue;
  for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF)
    if (strong(e) && order[targetOf(e)] >= 0) predCount[order[targetOf(e)] + 1] += 1;
}
for (let i = 0; i < count; i++) predCount[i + 1] += predCount[i];
const preds = new Uint32Array(predCount[count]);
{
  const fill = predCount.slice();
  for (let v = 0; v < count; v++) {
    if (order[v] < 0) continue;
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) {
      if (!strong(e)) continue;
      const w = targetOf(e);
      if (order[w] >= 0) preds[fill[order[w]]++] = order[v];
    }
  }
}
const idom = new Int32Array(reachable).fill(-1);
const rootOrder = reachable - 1;
idom[rootOrder] = rootOrder;
for (let changed = true; changed; ) {
  changed = false;
  for (let b = rootOrder - 1; b >= 0; b--) {
    let next = -1;
    for (let p = predCount[b]; p < predCount[b + 1]; p++) {
      let q = preds[p];
      if (idom[q] < 0) continue;
      if (next < 0) {
        next = q;
        continue;
      }
      let a = q;
      let c = next;
      while (a !== c) {
        while (a < c) a = idom[a];
        while (c < a) c = idom[c];
      }
      next = a;
    }
    if (next >= 0 && idom[b] !== next) {
      idom[b] = next;
      changed = true;
    }
  }
}
const retained = new Float64Array(reachable);
for (let b = 0; b < reachable; b++) retained[b] += nodes[byOrder[b] * NF + nSelf];
for (let b = 0; b < rootOrder; b++) if (idom[b] >= 0) retained[idom[b]] += retained[b];

// A path from the root to a node (first strong edge found in a breadth-first search).
const parentEdge = new Int32Array(count).fill(-1);
const parentNode = new Int32Array(count).fill(-1);
{
  const queue = new Uint32Array(count);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  parentNode[0] = 0;
  while (head < tail) {
    const v = queue[head++];
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) {
      if (!strong(e)) continue;
      const w = targetOf(e);
      if (parentNode[w] >= 0) continue;
      parentNode[w] = v;
      parentEdge[w] = e;
      queue[tail++] = w;
    }
  }
}
const edgeLabel = (e) => {
  const type = edgeTypes[edges[e + eType]];
  const name = edges[e + eName];
  return type === 'element' || type === 'hidden' ? `[${name}]` : `.${strings[name]}`;
};
function pathTo(v) {
  const parts = [];
  for (let n = v, guard = 0; n !== 0 && guard < 14; n = parentNode[n], guard++) {
    if (parentEdge[n] < 0) break;
    parts.push(`${label(parentNode[n]).slice(0, 40)}${edgeLabel(parentEdge[n]).slice(0, 90)}`);
  }
  return parts.reverse().slice(-7).join(' → ');
}

const mb = (bytes) => (bytes / 1048576).toFixed(2);
console.log(`${count} nodes, ${mb(total)} MB in all`);
console.log('\nself size by type/constructor:');
for (const [key, { size, count: c }] of [...bySelf].sort((a, b) => b[1].size - a[1].size).slice(0, top))
  console.log(`${mb(size).padStart(8)} MB ${String(c).padStart(9)}  ${key.slice(0, 80)}`);

// Largest retainers that are not the root's synthetic children: objects whose dominator is
// small relative to them (the heads of big structures).
console.log('\nlargest retained sizes (heads of structures: dominated by something ≥ 2× bigger or by a root):');
const heads = [];
for (let b = 0; b < rootOrder; b++) {
  const v = byOrder[b];
  const type = typeName(v);
  if (type === 'synthetic' || (type === 'hidden' && retained[b] < 1e6)) continue;
  const dom = idom[b];
  const domNode = byOrder[dom];
  if (retained[b] < 262144) continue;
  if (dom !== rootOrder && typeName(domNode) !== 'synthetic' && retained[dom] < 2 * retained[b]) continue;
  heads.push(b);
}
heads.sort((a, b) => retained[b] - retained[a]);
for (const b of heads.slice(0, top)) {
  const v = byOrder[b];
  console.log(`${mb(retained[b]).padStart(8)} MB  ${label(v).slice(0, 60)}\n            ${pathTo(v)}`);
}

// The dominator tree down to structures of at least `min` bytes, each with the edge that reaches
// it from its dominator when there is one.
const min = Number(process.env.HEAP_TREE_MIN_MB ?? 1) * 1048576;
const children = new Map();
for (let b = 0; b < rootOrder; b++) {
  if (idom[b] < 0 || retained[b] < min) continue;
  const list = children.get(idom[b]) ?? [];
  list.push(b);
  children.set(idom[b], list);
}
function edgeFrom(parentOrder, childOrder) {
  const v = byOrder[parentOrder];
  const w = byOrder[childOrder];
  for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (targetOf(e) === w) return edgeLabel(e);
  return ' (via others)';
}
console.log(`\ndominator tree (retained ≥ ${mb(min)} MB):`);
(function print(b, depth) {
  const list = (children.get(b) ?? []).sort((x, y) => retained[y] - retained[x]);
  for (const c of list) {
    console.log(`${'  '.repeat(depth)}${mb(retained[c])} MB ${edgeFrom(b, c).slice(0, 50)} ${label(byOrder[c]).slice(0, 70)}`);
    if (depth < 40) print(c, depth + 1);
  }
})(rootOrder, 0);
