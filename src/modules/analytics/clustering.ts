import { stableId } from '../../db/stable-id';

/**
 * Topic clustering of short texts by their keywords. Pure: unit-tested.
 *
 * Texts with the same keyword set form one signature. Signatures are compared by cosine
 * similarity of their keyword sets, each keyword weighted (rare words in the catalogue weigh
 * most: the words of a need the catalogue lacks), and merged bottom-up by average linkage
 * (weighted by how many texts each holds) while the best pair of clusters is at least
 * `threshold` alike. Average linkage does not chain: two topics sharing one word (宠物 in
 * 宠物疫苗 and 宠物走失) stay apart unless their texts are alike on the whole. Only pairs
 * sharing a keyword are ever compared, and beyond `maxSignatures` distinct signatures the
 * rarer ones join their nearest cluster instead of taking part in the merging, so the cost is
 * bounded whatever the number of texts. Single-keyword signatures join afterwards too, so that
 * they cannot chain two topics through their one word.
 */
export interface ClusteringOptions {
  /** Least average similarity of two clusters that are merged. */
  threshold: number;
  /** Signatures merged bottom-up; rarer ones are assigned to the nearest cluster. */
  maxSignatures: number;
}

export const DEFAULT_CLUSTERING: ClusteringOptions = { threshold: 0.55, maxSignatures: 1500 };

interface Signature {
  keywords: string[];
  weights: Map<string, number>;
  norm: number;
  items: number[];
}

class MaxHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.before(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < a.length && this.before(a[l], a[best])) best = l;
        if (r < a.length && this.before(a[r], a[best])) best = r;
        if (best === i) break;
        [a[i], a[best]] = [a[best], a[i]];
        i = best;
      }
    }
    return top;
  }
}

function cosine(a: Signature, b: Signature): number {
  const [small, large] = a.weights.size <= b.weights.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [word, w] of small.weights) if (large.weights.has(word)) dot += w * w;
  return a.norm > 0 && b.norm > 0 ? dot / (a.norm * b.norm) : 0;
}

/**
 * Clusters of the items (each a list of keywords), as lists of item indexes: largest first,
 * then by their first item. Items without keywords are left out.
 */
export function clusterByKeywords(
  items: readonly (readonly string[])[],
  weightOf: (keyword: string) => number,
  options: ClusteringOptions = DEFAULT_CLUSTERING,
): number[][] {
  const signatures = signaturesOf(items, weightOf);
  // A single keyword says too little to link topics (电动车 alone is like 电动车上牌 and 电动车充电桩
  // alike): such signatures only join a cluster once the merging is done, as the rarer ones do.
  const specific = signatures.filter((s) => s.keywords.length > 1);
  const head = specific.slice(0, options.maxSignatures);
  const tail = [...specific.slice(options.maxSignatures), ...signatures.filter((s) => s.keywords.length === 1)];

  const postings = postingsOf(head);
  const merged = mergeByAverageLinkage(head, postings, options.threshold);
  const extra = joinNearestClusters(tail, head, postings, merged, options.threshold);
  const clusters = [...merged.members.filter((_, i) => merged.alive[i]), ...extra].map((m) => m.sort((x, y) => x - y));
  return clusters.sort((x, y) => y.length - x.length || x[0] - y[0]);
}

/** The items' signatures (distinct keyword sets), most frequent first (ties by keywords, so the result does not depend on input order). */
function signaturesOf(items: readonly (readonly string[])[], weightOf: (keyword: string) => number): Signature[] {
  const byKey = new Map<string, Signature>();
  items.forEach((keywords, index) => {
    if (keywords.length === 0) return;
    const sorted = [...new Set(keywords)].sort();
    const key = sorted.join('\u0000');
    let signature = byKey.get(key);
    if (!signature) {
      const weights = new Map(sorted.map((k) => [k, Math.max(weightOf(k), 1e-6)] as const));
      const norm = Math.sqrt([...weights.values()].reduce((s, w) => s + w * w, 0));
      byKey.set(key, (signature = { keywords: sorted, weights, norm, items: [] }));
    }
    signature.items.push(index);
  });
  return [...byKey.values()].sort(
    (a, b) => b.items.length - a.items.length || (a.keywords.join(' ') < b.keywords.join(' ') ? -1 : 1),
  );
}

/** For each keyword, the indexes of the signatures that hold it (ascending). */
function postingsOf(head: readonly Signature[]): Map<string, number[]> {
  const postings = new Map<string, number[]>();
  head.forEach((s, i) => {
    for (const word of s.keywords) {
      const list = postings.get(word);
      if (list) list.push(i);
      else postings.set(word, [i]);
    }
  });
  return postings;
}

/** The clusters merged bottom-up from the head's signatures (cluster i starts as signature i). */
interface MergedClusters {
  /** Texts per cluster (their sum over the merged signatures). */
  size: number[];
  /** False for a cluster merged into another. */
  alive: boolean[];
  /** The item indexes of each cluster. */
  members: number[][];
  /** The signatures of each cluster. */
  signaturesOf: number[][];
}

/**
 * Average linkage over the head: the links are sums of n_a · n_b · similarity between clusters
 * (only pairs sharing a keyword); the most alike pair is merged while it is at least
 * `threshold` alike on average.
 */
function mergeByAverageLinkage(
  head: readonly Signature[],
  postings: Map<string, number[]>,
  threshold: number,
): MergedClusters {
  const size = head.map((s) => s.items.length);
  const links = initialLinks(head, postings, size);
  type Pair = { similarity: number; a: number; b: number; versionA: number; versionB: number };
  const version = head.map(() => 0);
  const alive = head.map(() => true);
  const members = head.map((s) => [...s.items]);
  const signaturesOf = head.map((_, i) => [i]);
  const heap = new MaxHeap<Pair>(
    (x, y) =>
      x.similarity > y.similarity || (x.similarity === y.similarity && (x.a < y.a || (x.a === y.a && x.b < y.b))),
  );
  const offer = (a: number, b: number) => {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const similarity = (links[lo].get(hi) ?? 0) / (size[lo] * size[hi]);
    if (similarity >= threshold) heap.push({ similarity, a: lo, b: hi, versionA: version[lo], versionB: version[hi] });
  };
  links.forEach((neighbours, i) => neighbours.forEach((_, j) => j > i && offer(i, j)));
  while (heap.size > 0) {
    const pair = heap.pop()!;
    if (!alive[pair.a] || !alive[pair.b] || version[pair.a] !== pair.versionA || version[pair.b] !== pair.versionB)
      continue;
    // Merge b into a; the links of the merged cluster are the sums of both.
    const { a, b } = pair;
    alive[b] = false;
    mergeLinks(links, a, b);
    size[a] += size[b];
    members[a].push(...members[b]);
    signaturesOf[a].push(...signaturesOf[b]);
    version[a] += 1;
    for (const other of links[a].keys()) offer(a, other);
  }
  return { size, alive, members, signaturesOf };
}

/** The links between the head's signatures that share a keyword: n_a · n_b · similarity, both ways. */
function initialLinks(
  head: readonly Signature[],
  postings: Map<string, number[]>,
  size: number[],
): Map<number, number>[] {
  const links = head.map(() => new Map<number, number>());
  head.forEach((s, i) => {
    const seen = new Set<number>();
    for (const word of s.keywords) {
      for (const j of postings.get(word)!) {
        if (j <= i || seen.has(j)) continue;
        seen.add(j);
        const sum = size[i] * size[j] * cosine(s, head[j]);
        if (sum > 0) {
          links[i].set(j, sum);
          links[j].set(i, sum);
        }
      }
    }
  });
  return links;
}

/** Moves cluster b's links onto cluster a (summed with a's own), leaving b without any. */
function mergeLinks(links: Map<number, number>[], a: number, b: number): void {
  links[a].delete(b);
  for (const [other, sum] of links[b]) {
    if (other === a) continue;
    links[a].set(other, (links[a].get(other) ?? 0) + sum);
    links[other].delete(b);
    links[other].set(a, links[a].get(other)!);
  }
  links[b].clear();
}

/**
 * The rarer and single-keyword signatures: each joins the merged cluster it is most like on
 * average (its items added to the cluster's members), or stands alone; returns those alone.
 */
function joinNearestClusters(
  tail: readonly Signature[],
  head: readonly Signature[],
  postings: Map<string, number[]>,
  merged: MergedClusters,
  threshold: number,
): number[][] {
  const { size, members } = merged;
  const clusterOf = head.map((_, i) => i);
  for (let i = 0; i < head.length; i += 1) for (const s of merged.signaturesOf[i]) clusterOf[s] = i;
  const extra: number[][] = [];
  for (const signature of tail) {
    const sums = new Map<number, number>();
    const seen = new Set<number>();
    for (const word of signature.keywords) {
      for (const j of postings.get(word) ?? []) {
        if (seen.has(j)) continue;
        seen.add(j);
        const cluster = clusterOf[j];
        sums.set(cluster, (sums.get(cluster) ?? 0) + head[j].items.length * cosine(signature, head[j]));
      }
    }
    let best = -1;
    let bestSimilarity = threshold;
    for (const [cluster, sum] of sums) {
      const similarity = sum / size[cluster];
      if (similarity > bestSimilarity || (similarity === bestSimilarity && (best < 0 || cluster < best))) {
        best = cluster;
        bestSimilarity = similarity;
      }
    }
    if (best >= 0) members[best].push(...signature.items);
    else extra.push([...signature.items]);
  }
  return extra;
}

/**
 * The keywords that describe a cluster: those in at least `minShare` of its items (at least
 * the most common one), most common first, then heaviest; at most `max`.
 */
export function clusterKeywords(
  items: readonly (readonly string[])[],
  weightOf: (keyword: string) => number,
  options: { minShare?: number; max?: number } = {},
): string[] {
  const { minShare = 0.5, max = 5 } = options;
  const counts = new Map<string, number>();
  for (const keywords of items) for (const word of new Set(keywords)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const ranked = [...counts].sort(
    ([a, ca], [b, cb]) => cb - ca || weightOf(b) - weightOf(a) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const kept = ranked.filter(([, count], i) => i === 0 || count >= minShare * items.length).map(([word]) => word);
  return kept.slice(0, max);
}

/** A cluster's id: the same keywords give the same id, on every run and install. */
export function clusterId(keywords: readonly string[]): string {
  return stableId(`unmet-demand:${[...keywords].sort().join(' ')}`);
}

/**
 * A readable label: the name of the need most of the cluster's requests express, when there is
 * one (农村道路损坏 says more than 村 · 路 · 坏), else its first three keywords.
 */
export function clusterLabel(keywords: readonly string[], needName: string | null = null): string {
  return needName ?? keywords.slice(0, 3).join(' · ');
}
