/** Ranking metrics of the offline evaluation; pure. */

export function ndcgAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k = 10): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i += 1) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function recallAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k = 10): number {
  if (relevant.size === 0) return 0;
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

export function averagePrecisionAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k = 10): number {
  let hits = 0;
  let sum = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) {
      hits += 1;
      sum += hits / (i + 1);
    }
  });
  return relevant.size === 0 ? 0 : sum / Math.min(k, relevant.size);
}

/** Gini coefficient of how often each item was recommended (0: even, 1: one item only). */
export function gini(counts: readonly number[]): number {
  const sorted = [...counts].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  let weighted = 0;
  sorted.forEach((c, i) => (weighted += (2 * (i + 1) - n - 1) * c));
  return weighted / (n * total);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
