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
