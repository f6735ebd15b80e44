import { seededRandom } from '../../../test/helpers/seeded-random';
import { categoryLeanOf, categoryRowsOf, type CategoryRow } from './category-lean';
import { categoryExcessOf, thinLeanShareOf, TUNING } from './scoring';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 11, 7);

// Category k: a (popularity 3) and b (1); category m: c (popularity 4).
const services = [
  { id: 'a', categoryId: 'k', popularity: 3 },
  { id: 'b', categoryId: 'k', popularity: 1 },
  { id: 'c', categoryId: 'm', popularity: 4 },
];
const categoryOf = new Map(services.map((s) => [s.id, s.categoryId]));

const history = (counts: Record<string, number>, lastAt = NOW - DAY_MS) =>
  Object.entries(counts).map(([serviceId, count]) => ({ categoryId: categoryOf.get(serviceId), count, lastAt }));

describe('the city’s category lean', () => {
  it('groups citizens of two signals or more by category and counts, leaving out old pairs', () => {
    const rows = categoryRowsOf(
      [
        history({ a: 2, b: 1, c: 1 }),
        history({ a: 2, b: 1, c: 1 }),
        // One signal: no second to read.
        history({ a: 1 }),
        // Its second signal before the window.
        [...history({ a: 1 }), ...history({ c: 1 }, NOW - 100 * DAY_MS)],
        // A service of no known category is left out.
        history({ c: 1, x: 3 }),
      ],
      NOW - 56 * DAY_MS,
    );
    const key = (r: CategoryRow) => `${r.categoryId}:${r.categorySignals}:${r.historySignals}`;
    expect(rows.map((r) => [key(r), r.citizens]).sort()).toEqual([
      ['k:3:4', 2],
      ['m:1:4', 2],
    ]);
  });

  it('sums per citizen the rate of sharing a category and the rate popularity predicts, as worked out by hand', () => {
    // Two citizens with 3 signals in k and 1 in m: each observed 3·2 / (4·3) = 1/2; predicted
    // (3 × 1/2 + 1 × 1/2) / 4 = 1/2 (k and m each half of the city's popularity).
    const rows: CategoryRow[] = [
      { categoryId: 'k', categorySignals: 3, historySignals: 4, citizens: 2 },
      { categoryId: 'm', categorySignals: 1, historySignals: 4, citizens: 2 },
    ];
    const lean = categoryLeanOf(rows, services);
    expect(lean.citizens).toBeCloseTo(2, 12);
    expect(lean.observed).toBeCloseTo(1, 12);
    expect(lean.expected).toBeCloseTo(1, 12);
  });

  it('reads about 0 where signals land by popularity, well above where a citizen keeps to one category', () => {
    // 20 categories of Zipf popularity; 400 citizens of 2 to 6 signals, a share of them in
    // the citizen's own category, the rest by popularity.
    const random = seededRandom(19);
    const catalogue = Array.from({ length: 20 }, (_, i) => ({
      id: `s${i}`,
      categoryId: `k${i}`,
      popularity: 1 / (i + 1),
    }));
    const total = catalogue.reduce((sum, s) => sum + s.popularity, 0);
    const byPopularity = () => {
      let r = random() * total;
      for (const s of catalogue) if ((r -= s.popularity) <= 0) return s.categoryId;
      return catalogue[catalogue.length - 1].categoryId;
    };
    const excess = (ownShare: number) => {
      const histories = Array.from({ length: 400 }, () => {
        const own = `k${Math.floor(random() * 20)}`;
        const counts = new Map<string, number>();
        const signals = 2 + Math.floor(random() * 5);
        for (let i = 0; i < signals; i += 1) {
          const category = random() < ownShare ? own : byPopularity();
          counts.set(category, (counts.get(category) ?? 0) + 1);
        }
        return [...counts].map(([categoryId, count]) => ({ categoryId, count, lastAt: NOW }));
      });
      const lean = categoryLeanOf(categoryRowsOf(histories, 0), catalogue);
      return (lean.observed - lean.expected) / lean.citizens;
    };
    expect(Math.abs(excess(0))).toBeLessThan(0.03);
    // At 0.6 in one's own category, two signals share it about 0.36 + more often than by popularity.
    expect(excess(0.6)).toBeGreaterThan(0.3);
  });
});

describe('how far a thin history leans on its category', () => {
  const lean = (excess: number, citizens = 1_000) => ({ observed: excess * citizens + 50, expected: 50, citizens });

  it('in full well above popularity, not at all near it, linear between, shrunk towards the reference', () => {
    const { categoryLeanFloor: floor, categoryLeanReference: reference, categoryLeanPseudoCitizens: pseudo } = TUNING;
    expect(thinLeanShareOf(lean(reference + 0.1))).toBe(1);
    expect(thinLeanShareOf(lean(floor - 0.05))).toBe(0);
    expect(thinLeanShareOf(lean((floor + reference) / 2, 1e9))).toBeCloseTo(0.5, 6);
    // A city of 100 citizens at excess 0 reads pseudo / (100 + pseudo) of the reference.
    expect(categoryExcessOf(lean(0, 100))).toBeCloseTo((pseudo * reference) / (100 + pseudo), 12);
  });

  it('as before without data, in a young city, or with the ramp turned off', () => {
    expect(thinLeanShareOf(undefined)).toBe(1);
    expect(thinLeanShareOf(lean(0, TUNING.categoryLeanMinCitizens - 1))).toBe(1);
    expect(thinLeanShareOf(lean(0, TUNING.categoryLeanMinCitizens))).toBe(0);
    expect(thinLeanShareOf(lean(0), { ...TUNING, categoryLeanReference: TUNING.categoryLeanFloor })).toBe(1);
  });
});
