import { AgeBand } from '../citizens/age-band';
import { SignalKind } from '../signals/signal-kind';
import { DemandDimension, Granularity } from './analytics.types';
import { areaReadOf } from './area-trends';
import { demandWindow } from './periods';
import type { Selection } from './trends.service';

const everything: Selection = { categoryIds: null, districtCode: null, kinds: null, ageBand: null };
// Wednesday 4 March to Tuesday 14 April 2026 (city days).
const weeks = demandWindow(new Date('2026-03-03T16:00:00Z'), new Date('2026-04-14T16:00:00Z'));

describe('areaReadOf', () => {
  it('takes every kind by district or city-wide, with or without a district filter', () => {
    expect(areaReadOf(Granularity.WEEK, [], everything, weeks)).toEqual({ byDistrict: false, area: '' });
    expect(areaReadOf(Granularity.WEEK, [DemandDimension.DISTRICT], everything, weeks)).toEqual({
      byDistrict: true,
      districtCode: null,
    });
    expect(areaReadOf(Granularity.MONTH, [], { ...everything, districtCode: '520102' }, weeks)).toEqual({
      byDistrict: false,
      area: '520102',
    });
    expect(
      areaReadOf(Granularity.DAY, [DemandDimension.DISTRICT], { ...everything, districtCode: '520102' }, weeks),
    ).toEqual({ byDistrict: true, districtCode: '520102' });
    expect(areaReadOf(Granularity.WEEK, [], { ...everything, kinds: Object.values(SignalKind) }, weeks)).not.toBeNull();
  });

  it('leaves categories, age bands, some kinds and other groupings to the daily rollups', () => {
    expect(areaReadOf(Granularity.WEEK, [], { ...everything, categoryIds: ['c'] }, weeks)).toBeNull();
    expect(areaReadOf(Granularity.WEEK, [], { ...everything, ageBand: AgeBand.ADULT }, weeks)).toBeNull();
    expect(
      areaReadOf(Granularity.WEEK, [], { ...everything, kinds: [SignalKind.VIEW, SignalKind.USE] }, weeks),
    ).toBeNull();
    for (const d of [DemandDimension.CATEGORY, DemandDimension.AGE_BAND, DemandDimension.KIND]) {
      expect(areaReadOf(Granularity.WEEK, [DemandDimension.DISTRICT, d], everything, weeks)).toBeNull();
    }
  });

  it('leaves a window inside one period, cut at both ends, to the daily rollups', () => {
    // Tuesday to Thursday of one week; the same days by day, and a window ending on the Sunday.
    const midweek = demandWindow(new Date('2026-03-09T16:00:00Z'), new Date('2026-03-12T16:00:00Z'));
    expect(areaReadOf(Granularity.WEEK, [], everything, midweek)).toBeNull();
    expect(areaReadOf(Granularity.MONTH, [], everything, midweek)).toBeNull();
    expect(areaReadOf(Granularity.DAY, [], everything, midweek)).not.toBeNull();
    const toSunday = demandWindow(new Date('2026-03-09T16:00:00Z'), new Date('2026-03-15T16:00:00Z'));
    expect(areaReadOf(Granularity.WEEK, [], everything, toSunday)).not.toBeNull();
  });
});
