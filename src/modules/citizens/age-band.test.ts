import { AgeBand, ageBandOf } from './age-band';

describe('ageBandOf', () => {
  const at = new Date('2026-06-01T00:00:00Z');
  it.each([
    [2009, AgeBand.CHILD],
    [2008, AgeBand.YOUTH],
    [1992, AgeBand.YOUTH],
    [1991, AgeBand.ADULT],
    [1967, AgeBand.ADULT],
    [1966, AgeBand.SENIOR],
  ])('born %i is %s in 2026', (year, band) => {
    expect(ageBandOf(year, at)).toBe(band);
  });
  it('is null without a birth year', () => {
    expect(ageBandOf(null, at)).toBeNull();
  });
});
