/**
 * Circumstances a citizen may declare in their profile, and that services may require
 * (`Eligibility.requiredTags`). The catalogue seeds use only these.
 */
export const CITIZEN_TAGS = [
  'disabled',
  'low-income',
  'veteran',
  'retiree',
  'student',
  'unemployed',
  'expectant-parent',
  'parent-of-young-child',
  'migrant-worker',
  'rural-resident',
  'car-owner',
  'homeowner',
] as const;

export type CitizenTag = (typeof CITIZEN_TAGS)[number];
