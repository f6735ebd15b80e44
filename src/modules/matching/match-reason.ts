import { registerEnumType } from 'type-graphql';

export enum MatchReasonKind {
  TEXT_MATCH = 'TEXT_MATCH',
  OWN_HISTORY = 'OWN_HISTORY',
  SIMILAR_CITIZENS = 'SIMILAR_CITIZENS',
  SEGMENT_DEMAND = 'SEGMENT_DEMAND',
  POPULAR = 'POPULAR',
  WELL_RATED = 'WELL_RATED',
  INTEREST = 'INTEREST',
  NEW_SERVICE = 'NEW_SERVICE',
}
registerEnumType(MatchReasonKind, { name: 'MatchReasonKind' });

/** Components that use the citizen's own data: off when personalisation is off. */
export const PERSONAL_KINDS: ReadonlySet<MatchReasonKind> = new Set([
  MatchReasonKind.TEXT_MATCH,
  MatchReasonKind.OWN_HISTORY,
  MatchReasonKind.SIMILAR_CITIZENS,
  MatchReasonKind.INTEREST,
]);
