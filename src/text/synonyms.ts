import { normalizeText } from './normalize';
import synonymData from './synonyms.json';

export interface SynonymGroups {
  /** Normalised member → canonical term of its group. */
  canonicalOf: ReadonlyMap<string, string>;
}

export function buildSynonymGroups(groups: readonly (readonly string[])[]): SynonymGroups {
  const canonicalOf = new Map<string, string>();
  for (const group of groups) {
    const [canonical, ...rest] = group.map(normalizeText);
    for (const member of [canonical, ...rest]) {
      if (!canonicalOf.has(member)) canonicalOf.set(member, canonical);
    }
  }
  return { canonicalOf };
}

export const defaultSynonyms = buildSynonymGroups(synonymData.groups);
