import { registerEnumType } from 'type-graphql';

export enum AgeBand {
  CHILD = 'CHILD',
  YOUTH = 'YOUTH',
  ADULT = 'ADULT',
  SENIOR = 'SENIOR',
}
registerEnumType(AgeBand, {
  name: 'AgeBand',
  description: 'CHILD under 18, YOUTH 18–34, ADULT 35–59, SENIOR 60 and over.',
});

export function ageInYear(birthYear: number, at: Date): number {
  return at.getUTCFullYear() - birthYear;
}

export function ageBandOf(birthYear: number | null | undefined, at: Date = new Date()): AgeBand | null {
  if (birthYear === null || birthYear === undefined) return null;
  const age = ageInYear(birthYear, at);
  if (age < 18) return AgeBand.CHILD;
  if (age < 35) return AgeBand.YOUTH;
  if (age < 60) return AgeBand.ADULT;
  return AgeBand.SENIOR;
}
