import { seededRandom } from '../../../test/helpers/seeded-random';
import { SignalKind } from '../signals/signal-kind';
import { repeatRateOf, repeatRowsOf, type RepeatRow } from './repeat-rate';
import { repeatLiftOf, selfShareOf, TUNING } from './scoring';
import { SignalFeatures, type FeatureService, type SignalRecord } from './signal-features';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 11, 7);

// Category k: a (popularity 3) and b (1); category m: c alone.
const services = [
  { id: 'a', categoryId: 'k', popularity: 3 },
  { id: 'b', categoryId: 'k', popularity: 1 },
  { id: 'c', categoryId: 'm', popularity: 2 },
];
const categoryOf = new Map(services.map((s) => [s.id, s.categoryId]));

/** A citizen's history from counts per service, all signals recent unless `lastAt` says. */
const history = (counts: Record<string, number>, lastAt = NOW - DAY_MS) =>
  Object.entries(counts).map(([serviceId, count]) => ({
    serviceId,
    categoryId: categoryOf.get(serviceId),
    count,
    lastAt,
  }));

describe('the city’s repeat rate', () => {
  it('groups the pairs by service and counts, leaving out lone signals in a category and old pairs', () => {
    const rows = repeatRowsOf(
      [
        history({ a: 3, b: 1 }),
        history({ a: 3, b: 1 }),
        // One signal in k and one in m: neither category was touched before.
        history({ a: 1, c: 1 }),
        // Last signal before the window.
        history({ a: 5 }, NOW - 100 * DAY_MS),
        // A service of no known category.
        history({ x: 4 }),
      ],
      NOW - 56 * DAY_MS,
    );
    const byKey = (r: RepeatRow) => `${r.serviceId}:${r.categorySignals}:${r.serviceSignals}`;
    expect(rows.map((r) => [byKey(r), r.citizens]).sort()).toEqual([
      ['a:4:3', 2],
      ['b:4:1', 2],
    ]);
  });

  it('counts repeats and those the category’s popularity predicts, as worked out by hand', () => {
    const rows: RepeatRow[] = [
      { serviceId: 'a', categorySignals: 4, serviceSignals: 3, citizens: 2 },
      { serviceId: 'b', categorySignals: 4, serviceSignals: 1, citizens: 2 },
      // Not a published service: left out.
      { serviceId: 'gone', categorySignals: 4, serviceSignals: 4, citizens: 9 },
    ];
    // a: 2 repeats each; expected 3/4 × (4 − 5/4) each. b: none; expected 1/4 × (4 − 5/2) each.
    const rate = repeatRateOf(rows, services);
    expect(rate.repeats).toBe(4);
    expect(rate.expected).toBeCloseTo(2 * 0.75 * 2.75 + 2 * 0.25 * 1.5, 12);
  });

  it('reads about 1 where citizens land on services by popularity, well above where they come back', () => {
    // Category k of 20 services with Zipf popularity; 400 citizens with 2 to 12 signals each.
    const random = seededRandom(19);
    const catalogue = Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, categoryId: 'k', popularity: 1 / (i + 1) }));
    const total = catalogue.reduce((sum, s) => sum + s.popularity, 0);
    const byPopularity = () => {
      let r = random() * total;
      for (const s of catalogue) if ((r -= s.popularity) <= 0) return s.id;
      return catalogue[catalogue.length - 1].id;
    };
    const histories = (repeatShare: number) =>
      Array.from({ length: 400 }, () => {
        const counts = new Map<string, number>();
        const signals = 2 + Math.floor(random() * 11);
        let first: string | undefined;
        for (let i = 0; i < signals; i += 1) {
          const id = first !== undefined && random() < repeatShare ? first : byPopularity();
          first ??= id;
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
        return [...counts].map(([serviceId, count]) => ({ serviceId, categoryId: 'k', count, lastAt: NOW }));
      });
    const lift = (repeatShare: number) => {
      const rate = repeatRateOf(repeatRowsOf(histories(repeatShare), 0), catalogue);
      return rate.repeats / rate.expected;
    };
    expect(lift(0)).toBeGreaterThan(0.85);
    expect(lift(0)).toBeLessThan(1.15);
    expect(lift(0.6)).toBeGreaterThan(2);
  });
});

describe('the repeat rate the fit and the simulated worlds read (SignalFeatures)', () => {
  const service = (id: string, categoryId: string): FeatureService => ({
    id,
    title: id,
    categoryId,
    parentCategoryId: null,
    categoryName: categoryId,
    minAge: null,
    maxAge: null,
    requiredTags: [],
    districtCodes: [],
  });
  const at = new Date(NOW - 3 * DAY_MS);
  const signal = (citizenId: string, serviceId: string, when = at): SignalRecord => ({
    citizenId,
    serviceId,
    kind: SignalKind.VIEW,
    stars: null,
    at: when,
    districtCode: 'd',
    ageBand: null,
  });

  it('is read from the signals before its moment as the stored one is, the pairs older than the window left out', () => {
    // x viewed a twice and b once (category k): 1 repeat. Popularity a 2, b 1 (+ y's old view
    // of b, decayed), so q(a) and q(b) come from the decayed demand, as the API's do.
    const signals = [
      signal('x', 'a'),
      signal('x', 'a'),
      signal('x', 'b'),
      signal('y', 'b', new Date(NOW - 80 * DAY_MS)),
      signal('y', 'b', new Date(NOW - 80 * DAY_MS)),
    ];
    const features = new SignalFeatures([service('a', 'k'), service('b', 'k')], new Map(), signals, [], new Date(NOW));
    const popularity = { a: features.popularityOf('a'), b: features.popularityOf('b') };
    const qa = popularity.a / (popularity.a + popularity.b);
    // y's two old views of b are outside the 56 days: not a repeat.
    expect(features.repeatRate.repeats).toBe(1);
    expect(features.repeatRate.expected).toBeCloseTo(qa * (3 - 4 / 3) + (1 - qa) * (3 - 4 / 2), 12);
    expect(
      features.signalsFor({
        id: 'x',
        districtCode: 'd',
        districtName: '',
        birthYear: 1980,
        tags: [],
        interestCategoryIds: [],
      }).repeatRate,
    ).toBe(features.repeatRate);
  });
});

describe('how much a used service itself counts', () => {
  it('as before while the city has few repeats to go by', () => {
    expect(selfShareOf(undefined)).toBe(1);
    expect(selfShareOf({ repeats: 0, expected: 0 })).toBe(1);
    // No repeat where a few were expected: too few to say.
    expect(selfShareOf({ repeats: 0, expected: 5 })).toBe(1);
    expect(selfShareOf({ repeats: 0, expected: TUNING.repeatMinExpected - 1 })).toBe(1);
    expect(selfShareOf({ repeats: 0, expected: TUNING.repeatMinExpected })).toBe(0);
    expect(repeatLiftOf({ repeats: 0, expected: 0 })).toBe(TUNING.repeatLiftReference);
  });

  it('nothing at the floor or below, in full at the reference or above, linear between', () => {
    const { repeatLiftReference: reference, repeatLiftFloor: floor } = TUNING;
    const at = (lift: number) => selfShareOf({ repeats: 1e6 * lift, expected: 1e6 });
    expect(at(1)).toBe(0);
    expect(at(floor)).toBeCloseTo(0, 3);
    expect(at(reference)).toBeCloseTo(1, 3);
    expect(at(reference * 2)).toBe(1);
    expect(at((floor + reference) / 2)).toBeCloseTo(0.5, 2);
    // Citizens who avoid what they used: nothing, not less.
    expect(at(0.01)).toBe(0);
  });

  it('as before for a model that turns it off', () => {
    expect(selfShareOf({ repeats: 1_000, expected: 1_000 }, { ...TUNING, repeatLiftReference: 1 })).toBe(1);
    expect(selfShareOf({ repeats: 1_000, expected: 1_000 }, { ...TUNING, repeatLiftFloor: 5 })).toBe(1);
  });
});
