import { MIN_NEED_CONFIDENCE, NeedRecogniser } from './need-recognition';
import { seededNeedsModel, type Need, type NeedsModel } from './needs-data';

let recogniser: NeedRecogniser | undefined;
/**
 * The recogniser of the needs data alone (no service phrases), built once per process: its build
 * takes seconds. Reading requests after the fact (clusters, learning) needs only the needs' own phrases.
 */
export function seededNeedRecogniser(): NeedRecogniser {
  recogniser ??= new NeedRecogniser(seededNeedsModel());
  return recogniser;
}

/** The need a text expresses most surely, or null when none is recognised with confidence. */
export function topNeedOf(text: string, recognise: NeedRecogniser = seededNeedRecogniser()): Need | null {
  return recognise.recognise(text, { limit: 1, minConfidence: MIN_NEED_CONFIDENCE }).needs[0]?.need ?? null;
}

/**
 * The need a group of requests is about: the top need recognised in the most of them, provided
 * that is at least half of them (a cluster of mixed needs is about a topic, not a need). Ties go
 * to the need code first in order, so the answer is stable.
 */
export function needOfRequests(topNeeds: readonly (Need | null)[]): Need | null {
  return needOfGroups(topNeeds.map((need) => ({ need, count: 1 })));
}

/**
 * As `needOfRequests`, from requests grouped by what their need is read from (the same text, the
 * same stored need): each group's top need with its number of requests. A cluster's requests
 * repeat a few wordings, so each wording is recognised once, not once per request.
 */
export function needOfGroups(groups: readonly { need: Need | null; count: number }[]): Need | null {
  const counts = new Map<string, { need: Need; count: number }>();
  let requests = 0;
  for (const { need, count } of groups) {
    requests += count;
    if (!need) continue;
    const entry = counts.get(need.code) ?? { need, count: 0 };
    entry.count += count;
    counts.set(need.code, entry);
  }
  const [best] = [...counts.values()].sort((a, b) => b.count - a.count || a.need.code.localeCompare(b.need.code));
  return best && best.count * 2 >= requests ? best.need : null;
}

/**
 * The catalogue category a need belongs to: the commonest category of its published services or,
 * for a need no service meets, of the published services of the other needs of its life events
 * (lost pets: the category of the city's other pet services). Null when none is published.
 */
export function categoryOfNeed(
  need: Need,
  model: NeedsModel,
  categoryOfService: (code: string) => string | undefined,
): string | null {
  const commonest = (codes: readonly string[]) => {
    const counts = new Map<string, number>();
    for (const code of codes) {
      const category = categoryOfService(code);
      if (category) counts.set(category, (counts.get(category) ?? 0) + 1);
    }
    const [best] = [...counts].sort(([a, ca], [b, cb]) => cb - ca || a.localeCompare(b));
    return best?.[0] ?? null;
  };
  return (
    commonest(need.services) ??
    commonest([...new Set(need.lifeEvents.flatMap((e) => model.needsOfLifeEvent(e).flatMap((n) => n.services)))])
  );
}
