import citizenTagData from './citizen-tags.json';

/**
 * Circumstances a citizen may declare in their profile, and that services may require
 * (`Eligibility.requiredTags`). The list is data, `citizen-tags.json`, which the catalogue
 * seeds' checker (seeds/catalogue/check.mjs) reads too: the seeds use only these.
 */
export const CITIZEN_TAGS: readonly CitizenTag[] = citizenTagData;

/** One of CITIZEN_TAGS. */
export type CitizenTag = string;
