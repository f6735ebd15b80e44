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

/** What of a catalogue's rules can tell citizens of one district apart by age: its age limits. */
export interface EligibilityBoundaries {
  /** Ages at which some rule starts or stops holding (each minAge, each maxAge + 1), ascending. */
  ages: readonly number[];
}

export function eligibilityBoundaries(rules: readonly EligibilityRules[]): EligibilityBoundaries {
  const ages = new Set<number>();
  for (const rule of rules) {
    if (rule.minAge !== null) ages.add(rule.minAge);
    if (rule.maxAge !== null) ages.add(rule.maxAge + 1);
  }
  return { ages: [...ages].sort((a, b) => a - b) };
}

/**
 * A key shared by exactly the citizens whom the age and district rules cannot tell apart
 * (same district, age between the same boundaries): they pass the same age and district rules,
 * so that part is computed once per key; required tags are checked per citizen
 * (`hasRequiredTags`).
 */
export function eligibilityKey(citizen: CitizenFacts, boundaries: EligibilityBoundaries, at: Date): string {
  if (citizen.birthYear === null) return `${citizen.districtCode}:-`;
  const age = ageInYear(citizen.birthYear, at);
  let passed = 0;
  while (passed < boundaries.ages.length && boundaries.ages[passed] <= age) passed += 1;
  return `${citizen.districtCode}:${passed}`;
}

/** The age and district rules of isEligible, without the required tags. */
export function meetsAgeAndDistrict(citizen: CitizenFacts, service: EligibilityRules, at: Date): boolean {
  return isEligible({ ...citizen, tags: service.requiredTags }, service, at);
}

/** The required-tags rule of isEligible. */
export function hasRequiredTags(
  citizen: Pick<CitizenFacts, 'tags'>,
  service: Pick<EligibilityRules, 'requiredTags'>,
): boolean {
  return service.requiredTags.every((tag) => citizen.tags.includes(tag));
}

/**
 * The required tags of a catalogue as bits, so that checking a citizen against a service's
 * required tags is one AND: `hasRequiredTags` is `(needs & ~has) === 0` with `needs` the bits
 * of the service's required tags and `has` those of the citizen's tags. Undefined when the
 * catalogue requires more distinct tags than 32 bits hold.
 */
export interface RequiredTagBits {
  bitOf: ReadonlyMap<string, number>;
}

export function requiredTagBits(rules: Iterable<Pick<EligibilityRules, 'requiredTags'>>): RequiredTagBits | undefined {
  const bitOf = new Map<string, number>();
  for (const rule of rules)
    for (const tag of rule.requiredTags) {
      if (bitOf.has(tag)) continue;
      if (bitOf.size === 32) return undefined;
      bitOf.set(tag, 1 << bitOf.size);
    }
  return { bitOf };
}

/** The bits of those of `tags` that some rule requires (the others change no answer). */
export function tagBitsOf(bits: RequiredTagBits, tags: readonly string[]): number {
  let mask = 0;
  for (const tag of tags) mask |= bits.bitOf.get(tag) ?? 0;
  return mask;
}
