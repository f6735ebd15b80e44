import { ageInYear } from '../citizens/age-band';

export interface EligibilityRules {
  minAge: number | null;
  maxAge: number | null;
  requiredTags: readonly string[];
  districtCodes: readonly string[];
}

export interface CitizenFacts {
  birthYear: number | null;
  tags: readonly string[];
  districtCode: string;
}

/**
 * Whether a citizen may use a service: a hard filter, never a score. A citizen whose age is
 * unknown is eligible only for services without an age limit.
 */
export function isEligible(citizen: CitizenFacts, service: EligibilityRules, at: Date): boolean {
  if (service.minAge !== null || service.maxAge !== null) {
    if (citizen.birthYear === null) return false;
    const age = ageInYear(citizen.birthYear, at);
    if (service.minAge !== null && age < service.minAge) return false;
    if (service.maxAge !== null && age > service.maxAge) return false;
  }
  if (!service.requiredTags.every((tag) => citizen.tags.includes(tag))) return false;
  return service.districtCodes.length === 0 || service.districtCodes.includes(citizen.districtCode);
}

/** What of a catalogue's rules can tell citizens apart: its age limits and required tags. */
export interface EligibilityBoundaries {
  /** Ages at which some rule starts or stops holding (each minAge, each maxAge + 1), ascending. */
  ages: readonly number[];
  requiredTags: ReadonlySet<string>;
}

export function eligibilityBoundaries(rules: readonly EligibilityRules[]): EligibilityBoundaries {
  const ages = new Set<number>();
  const requiredTags = new Set<string>();
  for (const rule of rules) {
    if (rule.minAge !== null) ages.add(rule.minAge);
    if (rule.maxAge !== null) ages.add(rule.maxAge + 1);
    for (const tag of rule.requiredTags) requiredTags.add(tag);
  }
  return { ages: [...ages].sort((a, b) => a - b), requiredTags };
}

/**
 * A key shared by exactly the citizens whom the rules cannot tell apart (same district, age
 * between the same boundaries, same tags among those rules require): they are eligible for
 * the same services, so the eligible list is computed once per key.
 */
export function eligibilityKey(citizen: CitizenFacts, boundaries: EligibilityBoundaries, at: Date): string {
  let ageClass = '-';
  if (citizen.birthYear !== null) {
    const age = ageInYear(citizen.birthYear, at);
    let passed = 0;
    while (passed < boundaries.ages.length && boundaries.ages[passed] <= age) passed += 1;
    ageClass = String(passed);
  }
  const tags = citizen.tags.filter((tag) => boundaries.requiredTags.has(tag)).sort();
  return `${citizen.districtCode}:${ageClass}:${[...new Set(tags)].join(',')}`;
}
