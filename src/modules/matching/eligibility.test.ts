import fc from 'fast-check';
import {
  eligibilityBoundaries,
  eligibilityKey,
  hasRequiredTags,
  isEligible,
  meetsAgeAndDistrict,
  requiredTagBits,
  tagBitsOf,
} from './eligibility';

const at = new Date('2026-06-01T00:00:00Z');
const open = { minAge: null, maxAge: null, requiredTags: [], districtCodes: [] };

describe('isEligible', () => {
  it('applies age limits, and refuses them when the age is unknown', () => {
    const senior = { ...open, minAge: 60 };
    expect(isEligible({ birthYear: 1960, tags: [], districtCode: '520103' }, senior, at)).toBe(true);
    expect(isEligible({ birthYear: 1970, tags: [], districtCode: '520103' }, senior, at)).toBe(false);
    expect(isEligible({ birthYear: null, tags: [], districtCode: '520103' }, senior, at)).toBe(false);
    expect(isEligible({ birthYear: null, tags: [], districtCode: '520103' }, open, at)).toBe(true);
    expect(isEligible({ birthYear: 2010, tags: [], districtCode: '520103' }, { ...open, maxAge: 15 }, at)).toBe(false);
  });

  it('admits the limit ages themselves (age being what the citizen turns in the year)', () => {
    const band = { ...open, minAge: 18, maxAge: 34 };
    const born = (birthYear: number) => isEligible({ birthYear, tags: [], districtCode: '520103' }, band, at);
    expect([2009, 2008, 1992, 1991].map(born)).toEqual([false, true, true, false]);
    expect(isEligible({ birthYear: null, tags: [], districtCode: '520103' }, { ...open, maxAge: 99 }, at)).toBe(false);
  });

  it('needs every required tag and one of the districts', () => {
    const rule = { ...open, requiredTags: ['disabled', 'low-income'], districtCodes: ['520111'] };
    expect(isEligible({ birthYear: 1980, tags: ['disabled', 'low-income'], districtCode: '520111' }, rule, at)).toBe(
      true,
    );
    expect(isEligible({ birthYear: 1980, tags: ['disabled'], districtCode: '520111' }, rule, at)).toBe(false);
    expect(isEligible({ birthYear: 1980, tags: ['disabled', 'low-income'], districtCode: '520103' }, rule, at)).toBe(
      false,
    );
  });
});

describe('eligibilityKey', () => {
  const rules = [
    { ...open, minAge: 60 },
    { ...open, maxAge: 17 },
    { ...open, minAge: 18, maxAge: 34, requiredTags: ['student'] },
    { ...open, requiredTags: ['disabled', 'low-income'], districtCodes: ['520111'] },
    { ...open, districtCodes: ['520102', '520103'] },
  ];
  const boundaries = eligibilityBoundaries(rules);

  it('gives one key to citizens the age and district rules cannot tell apart; with the tags checked apart, eligibility is the same', () => {
    const citizen = fc.record({
      birthYear: fc.option(fc.integer({ min: 1920, max: 2026 })),
      tags: fc.uniqueArray(fc.constantFrom('student', 'disabled', 'low-income', 'veteran', 'car-owner')),
      districtCode: fc.constantFrom('520102', '520103', '520111'),
    });
    const eligibleByKey = new Map<string, string>();
    let shared = 0;
    for (const c of fc.sample(citizen, { numRuns: 5000, seed: 7 })) {
      const key = eligibilityKey(c, boundaries, at);
      const byAgeAndDistrict = rules.map((r) => meetsAgeAndDistrict(c, r, at)).join();
      expect(rules.map((r) => isEligible(c, r, at))).toEqual(
        rules.map((r) => meetsAgeAndDistrict(c, r, at) && hasRequiredTags(c, r)),
      );
      if (eligibleByKey.has(key)) {
        shared += 1;
        expect(byAgeAndDistrict).toBe(eligibleByKey.get(key));
      } else eligibleByKey.set(key, byAgeAndDistrict);
    }
    expect(shared).toBeGreaterThan(4900);
  });

  it('keeps each limit age once, ascending: minAge, and maxAge + 1', () => {
    expect(boundaries.ages).toEqual([18, 35, 60]);
    expect(eligibilityBoundaries([open]).ages).toEqual([]);
  });

  it('keys by district and by how many limit ages the citizen has reached; unknown age apart', () => {
    const key = (birthYear: number | null, districtCode = '520102') =>
      eligibilityKey({ birthYear, tags: [], districtCode }, boundaries, at);
    expect([key(2009), key(2008), key(1992), key(1991), key(1966), key(1967)]).toEqual([
      '520102:0',
      '520102:1',
      '520102:1',
      '520102:2',
      '520102:3',
      '520102:2',
    ]);
    expect(key(null, '520111')).toBe('520111:-');
  });

  it('checks required tags and the age and district rules apart', () => {
    const rule = { ...open, minAge: 60, requiredTags: ['disabled'], districtCodes: ['520111'] };
    expect(hasRequiredTags({ tags: ['disabled', 'veteran'] }, rule)).toBe(true);
    expect(hasRequiredTags({ tags: ['veteran'] }, rule)).toBe(false);
    expect(meetsAgeAndDistrict({ birthYear: 1950, tags: [], districtCode: '520111' }, rule, at)).toBe(true);
    expect(meetsAgeAndDistrict({ birthYear: 1950, tags: [], districtCode: '520103' }, rule, at)).toBe(false);
    expect(meetsAgeAndDistrict({ birthYear: 1990, tags: ['disabled'], districtCode: '520111' }, rule, at)).toBe(false);
  });

  it("tells ages apart only at the rules' limits", () => {
    const key = (birthYear: number | null) =>
      eligibilityKey({ birthYear, tags: [], districtCode: '520102' }, boundaries, at);
    expect(key(1980)).toBe(key(1990));
    expect(key(1980)).not.toBe(key(1960));
    expect(key(2000)).not.toBe(key(2015));
    expect(key(null)).not.toBe(key(1980));
  });
});

describe('requiredTagBits', () => {
  const tag = fc.constantFrom('disabled', 'veteran', 'student', 'retiree', 'homeowner', 'car-owner');

  it('answers as hasRequiredTags for every citizen and rule', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(tag, { maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.oneof(tag, fc.constant('unknown-tag')), { maxLength: 4 }),
        (required, tags) => {
          const rules = required.map((requiredTags) => ({ requiredTags }));
          const bits = requiredTagBits(rules)!;
          const has = tagBitsOf(bits, tags);
          for (const rule of rules)
            expect((tagBitsOf(bits, rule.requiredTags) & ~has) === 0).toBe(hasRequiredTags({ tags }, rule));
        },
      ),
    );
  });

  it('gives up past 32 distinct required tags', () => {
    const rules = Array.from({ length: 33 }, (_, i) => ({ requiredTags: [`tag-${i}`] }));
    expect(requiredTagBits(rules.slice(0, 32))?.bitOf.size).toBe(32);
    expect(requiredTagBits(rules)).toBeUndefined();
  });
});
