import { isEligible } from './eligibility';

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

  it('needs every required tag and one of the districts', () => {
    const rule = { ...open, requiredTags: ['disabled', 'low-income'], districtCodes: ['520111'] };
    expect(isEligible({ birthYear: 1980, tags: ['disabled', 'low-income'], districtCode: '520111' }, rule, at)).toBe(true);
    expect(isEligible({ birthYear: 1980, tags: ['disabled'], districtCode: '520111' }, rule, at)).toBe(false);
    expect(isEligible({ birthYear: 1980, tags: ['disabled', 'low-income'], districtCode: '520103' }, rule, at)).toBe(false);
  });
});
