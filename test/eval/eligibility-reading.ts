/**
 * The catalogue's eligibility rules read afresh from their definitions (the schema's
 * `Eligibility` type and the citizen profile), not from the engine's `isEligible`, so that
 * evaluations and tests can count the engine's violations against a second reading:
 *
 * - nulls and empty lists do not restrict;
 * - age is what the citizen turns in the calendar year (profiles hold a birth year only), and a
 *   citizen of unknown age cannot show that they meet an age limit;
 * - every required tag must be carried; the district must be one of those listed.
 *
 * Returns the rules the citizen fails (empty when eligible).
 */
export interface ReadCitizen {
  birthYear: number | null;
  tags: readonly string[];
  districtCode: string;
}

export interface ReadRules {
  minAge: number | null;
  maxAge: number | null;
  requiredTags: readonly string[];
  districtCodes: readonly string[];
}

export type FailedRule = 'age unknown' | 'too young' | 'too old' | 'missing tag' | 'district';

export function failedRules(citizen: ReadCitizen, rules: ReadRules, at: Date): FailedRule[] {
  const failed: FailedRule[] = [];
  const hasAgeLimit = rules.minAge != null || rules.maxAge != null;
  if (hasAgeLimit && citizen.birthYear == null) failed.push('age unknown');
  if (hasAgeLimit && citizen.birthYear != null) {
    const turns = at.getUTCFullYear() - citizen.birthYear;
    if (rules.minAge != null && turns < rules.minAge) failed.push('too young');
    if (rules.maxAge != null && turns > rules.maxAge) failed.push('too old');
  }
  const carried = new Set(citizen.tags);
  if (rules.requiredTags.some((tag) => !carried.has(tag))) failed.push('missing tag');
  if (rules.districtCodes.length > 0 && !new Set(rules.districtCodes).has(citizen.districtCode))
    failed.push('district');
  return failed;
}

export function readsAsEligible(citizen: ReadCitizen, rules: ReadRules, at: Date): boolean {
  return failedRules(citizen, rules, at).length === 0;
}
