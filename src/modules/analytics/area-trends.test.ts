import { AgeBand } from '../citizens/age-band';
import { SignalKind } from '../signals/signal-kind';
import { DemandDimension, Granularity } from './analytics.types';
import { areaReadOf } from './area-trends';
import { demandWindow } from './periods';
import type { Selection } from './trends.service';

const everything: Selection = {
  categoryIds: null,
  categorySlice: null,
  districtCode: null,
  kinds: null,
  ageBand: null,
};
// Wednesday 4 March to Tuesday 14 April 2026 (city days).
const weeks = demandWindow(new Date('2026-03-03T16:00:00Z'), new Date('2026-04-14T16:00:00Z'));
const { CATEGORY, DISTRICT, AGE_BAND, KIND } = DemandDimension;

describe('areaReadOf', () => {
  it('takes every kind by district or city-wide, with or without a district filter', () => {
    expect(areaReadOf(Granularity.WEEK, [], everything, weeks)).toEqual({ area: '', slices: null, keys: [] });
    expect(areaReadOf(Granularity.WEEK, [DISTRICT], everything, weeks)).toEqual({
      area: null,
      slices: null,
      keys: ['area'],
    });
    expect(areaReadOf(Granularity.MONTH, [], { ...everything, districtCode: '520102' }, weeks)).toEqual({
      area: '520102',
      slices: null,
      keys: [],
    });
    expect(areaReadOf(Granularity.DAY, [DISTRICT], { ...everything, districtCode: '520102' }, weeks)).toEqual({
      area: '520102',
      slices: null,
      keys: ['area'],
    });
    expect(areaReadOf(Granularity.WEEK, [], { ...everything, kinds: Object.values(SignalKind) }, weeks)).toEqual({
      area: '',
      slices: null,
      keys: [],
    });
  });

  it('takes one category, age band or kind, or a split by one of them, from the slices', () => {
    const leaf = { ...everything, categoryIds: ['l'], categorySlice: 'c:l' };
    const parent = { ...everything, categoryIds: ['p', 'l'], categorySlice: 'p:p' };
    expect(areaReadOf(Granularity.WEEK, [DISTRICT], parent, weeks)).toEqual({
      area: null,
      slices: { values: ['p:p'] },
      keys: ['area'],
    });
    expect(areaReadOf(Granularity.WEEK, [], leaf, weeks)).toEqual({ area: '', slices: { values: ['c:l'] }, keys: [] });
    // Split by category: every category, or the filter's (each on its own).
    expect(areaReadOf(Granularity.WEEK, [CATEGORY, DISTRICT], everything, weeks)).toEqual({
      area: null,
      slices: { prefix: 'c:' },
      keys: ['slice', 'area'],
    });
    expect(areaReadOf(Granularity.DAY, [CATEGORY], { ...parent, districtCode: '520102' }, weeks)).toEqual({
      area: '520102',
      slices: { values: ['c:p', 'c:l'] },
      keys: ['slice'],
    });
    expect(areaReadOf(Granularity.WEEK, [], { ...everything, ageBand: AgeBand.ADULT }, weeks)?.slices).toEqual({
      values: ['a:ADULT'],
    });
    expect(areaReadOf(Granularity.WEEK, [AGE_BAND], everything, weeks)?.slices).toEqual({ prefix: 'a:' });
    expect(areaReadOf(Granularity.MONTH, [KIND], everything, weeks)?.slices).toEqual({ prefix: 'k:' });
    expect(
      areaReadOf(Granularity.MONTH, [KIND], { ...everything, kinds: [SignalKind.VIEW, SignalKind.USE] }, weeks)?.slices,
    ).toEqual({ values: ['k:VIEW', 'k:USE'] });
    expect(areaReadOf(Granularity.WEEK, [], { ...everything, kinds: [SignalKind.USE] }, weeks)?.slices).toEqual({
      values: ['k:USE'],
    });
  });

  it('leaves two of category, age band and kind, and several kinds unsplit, to the daily rollups', () => {
    const leaf = { ...everything, categoryIds: ['l'], categorySlice: 'c:l' };
    expect(areaReadOf(Granularity.WEEK, [], { ...leaf, ageBand: AgeBand.ADULT }, weeks)).toBeNull();
    expect(areaReadOf(Granularity.WEEK, [KIND], leaf, weeks)).toBeNull();
    expect(areaReadOf(Granularity.WEEK, [CATEGORY, AGE_BAND], everything, weeks)).toBeNull();
    expect(
      areaReadOf(Granularity.WEEK, [DISTRICT, KIND], { ...everything, ageBand: AgeBand.SENIOR }, weeks),
    ).toBeNull();
    // A category filter the slices do not hold (a child with children of its own).
    expect(areaReadOf(Granularity.WEEK, [], { ...everything, categoryIds: ['m', 'g'] }, weeks)).toBeNull();
    expect(
      areaReadOf(Granularity.WEEK, [], { ...everything, kinds: [SignalKind.VIEW, SignalKind.USE] }, weeks),
    ).toBeNull();
  });

  it('leaves a window inside one period, cut at both ends, to the daily rollups', () => {
    // Tuesday to Thursday of one week; the same days by day, and a window ending on the Sunday.
    const midweek = demandWindow(new Date('2026-03-09T16:00:00Z'), new Date('2026-03-12T16:00:00Z'));
    expect(areaReadOf(Granularity.WEEK, [], everything, midweek)).toBeNull();
    expect(areaReadOf(Granularity.MONTH, [AGE_BAND], everything, midweek)).toBeNull();
    expect(areaReadOf(Granularity.DAY, [], everything, midweek)).not.toBeNull();
    const toSunday = demandWindow(new Date('2026-03-09T16:00:00Z'), new Date('2026-03-15T16:00:00Z'));
    expect(areaReadOf(Granularity.WEEK, [], everything, toSunday)).not.toBeNull();
  });
});
