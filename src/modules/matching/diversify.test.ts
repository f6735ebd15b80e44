import {
  CAP_EXEMPTION,
  categoriesAskedFor,
  contendersOf,
  diversifiedTop,
  diversify,
  DIVERSIFIED_POSITIONS,
  exemptionRuleOf,
  rankedTop,
} from './diversify';
import { TUNING } from './ranking-model';
import type { Candidate, CitizenSignals, ScoredCandidate } from './scoring';

const now = new Date('2026-11-29T00:00:00Z');
const DAY = 86_400_000;
const scored = (
  id: string,
  score: number,
  categoryId: string,
  parentCategoryId: string | null = null,
): ScoredCandidate => ({
  candidate: { id, categoryId, parentCategoryId } as Candidate,
  score,
  components: [],
});
const ids = (list: readonly ScoredCandidate[]) => list.map((s) => s.candidate.id);

type History = Pick<CitizenSignals, 'personalized' | 'history' | 'historyCounts' | 'historyLastAt' | 'now'>;
const history = (entries: [string, number, number?][]): History => ({
  personalized: true,
  history: new Map(entries.map(([id, value]) => [id, value])),
  historyCounts: new Map(entries.map(([id, value]) => [id, value])),
  historyLastAt: new Map(entries.map(([id, , daysAgo]) => [id, now.getTime() - (daysAgo ?? 0) * DAY])),
  now,
});
const categoryOf = (id: string) => ({ a: 'hf', b: 'hf', c: 'tax', d: 'tax' })[id];

describe('categoriesAskedFor', () => {
  it('takes the default rule from the tuning', () => {
    expect(exemptionRuleOf(TUNING)).toEqual({ minSignals: 3, fading: 0 });
    expect(CAP_EXEMPTION).toEqual({ historyShare: 0.5, minSignals: 3 });
  });

  it('asks for a category holding half the history or more, once the history counts enough signals', () => {
    expect(
      categoriesAskedFor(
        history([
          ['a', 2],
          ['c', 2],
        ]),
        categoryOf,
      ),
    ).toEqual(new Set(['hf', 'tax']));
    expect(
      categoriesAskedFor(
        history([
          ['a', 1],
          ['c', 2],
        ]),
        categoryOf,
      ),
    ).toEqual(new Set(['tax']));
    expect(
      categoriesAskedFor(
        history([
          ['a', 1],
          ['c', 1],
        ]),
        categoryOf,
      ),
    ).toEqual(new Set());
    // A service of no known category counts among the signals, not in the shares.
    expect(
      categoriesAskedFor(
        history([
          ['a', 1],
          ['x', 5],
        ]),
        categoryOf,
      ),
    ).toEqual(new Set(['hf']));
    // A model may ask for fewer signals, never under one.
    const one = history([['a', 1]]);
    expect(categoriesAskedFor(one, categoryOf, { minSignals: 0, fading: 0 })).toEqual(new Set(['hf']));
    // Signals enough, but all of them decayed to nothing: no share of anything.
    expect(
      categoriesAskedFor({ ...one, history: new Map([['a', 0]]), historyCounts: new Map([['a', 3]]) }, categoryOf),
    ).toEqual(new Set());
    expect(
      categoriesAskedFor({ ...one, historyCounts: new Map([['a', 0]]) }, categoryOf, { minSignals: 0, fading: 0 }),
    ).toEqual(new Set());
  });

  it('fades a category by the time since its last use, with the rule’s halvings a day', () => {
    // hf used 3 times, last 60 days ago; tax once, today.
    const citizen = history([
      ['a', 3, 60],
      ['c', 1, 0],
    ]);
    expect(categoriesAskedFor(citizen, categoryOf)).toEqual(new Set(['hf']));
    // Halving every 10 days: hf 3 × 2^(−6) < tax's 1.
    expect(categoriesAskedFor(citizen, categoryOf, { minSignals: 3, fading: 0.1 })).toEqual(new Set(['tax']));
    // Halving every 60 days: hf 1.5 against 1.
    expect(categoriesAskedFor(citizen, categoryOf, { minSignals: 3, fading: 1 / 60 })).toEqual(new Set(['hf']));
    // The latest use of a category's services counts: b used today keeps hf whole.
    const both = history([
      ['a', 2, 60],
      ['b', 1, 0],
      ['c', 3, 0],
    ]);
    expect(categoriesAskedFor(both, categoryOf, { minSignals: 3, fading: 0.1 })).toEqual(new Set(['hf', 'tax']));
    // A use in the future counts as today's; no time known, no fading.
    const future = history([
      ['a', 3, -5],
      ['c', 3, 0],
    ]);
    expect(categoriesAskedFor(future, categoryOf, { minSignals: 3, fading: 0.1 })).toEqual(new Set(['hf', 'tax']));
    // A time that is not a number is no time.
    const broken = {
      ...citizen,
      historyLastAt: new Map([
        ['a', NaN],
        ['c', now.getTime()],
      ]),
    };
    expect(categoriesAskedFor(broken, categoryOf, { minSignals: 3, fading: 0.1 })).toEqual(new Set(['hf']));
    const unknown = { ...citizen, historyLastAt: undefined };
    expect(categoriesAskedFor(unknown, categoryOf, { minSignals: 3, fading: 0.1 })).toEqual(new Set(['hf']));
  });
});

describe('diversify', () => {
  it('counts a sibling category (same parent) as partly redundant', () => {
    // λ 0.975: a value is 0.975 × relevance − 0.025 × redundancy (1 same category, 0.3 same parent).
    const list = [
      scored('a1', 1, 'A', 'P'),
      scored('a2', 0.985, 'A', 'P'),
      scored('b1', 0.98, 'B', 'P'),
      scored('c1', 0.975, 'C', 'Q'),
    ];
    expect(ids(diversify(list))).toEqual(['a1', 'c1', 'b1', 'a2']);
    // Without parents, b1 is as new as c1 and scores higher.
    const flat = list.map((s) => scored(s.candidate.id, s.score, s.candidate.categoryId));
    expect(ids(diversify(flat))).toEqual(['a1', 'b1', 'c1', 'a2']);
    // Relevance is relative to the top score: twice the scores, the same order.
    const doubled = list.map((s) =>
      scored(s.candidate.id, s.score * 2, s.candidate.categoryId, s.candidate.parentCategoryId),
    );
    expect(ids(diversify(doubled))).toEqual(['a1', 'c1', 'b1', 'a2']);
  });

  it('breaks ties by id, keeps an empty list empty, and lifts the cap after the first ten', () => {
    expect(ids(diversify([scored('x', 1, 'A'), scored('b', 0.5, 'B'), scored('a', 0.5, 'C')]))).toEqual([
      'x',
      'a',
      'b',
    ]);
    expect(diversify([])).toEqual([]);
    // Twelve of one category far above the rest: three in the first ten, then the fourth at once.
    const list = [
      ...Array.from({ length: 12 }, (_, i) => scored(`h${String(i).padStart(2, '0')}`, 1 - i / 1000, 'H')),
      ...Array.from({ length: 12 }, (_, i) => scored(`x${String(i).padStart(2, '0')}`, 0.2 - i / 1000, `k${i}`)),
    ];
    const order = diversify(list);
    expect(order.slice(0, 10).filter((s) => s.candidate.categoryId === 'H')).toHaveLength(3);
    expect(order[10].candidate.id).toBe('h03');
  });

  it('lets a category return once ten others have been picked since', () => {
    const others = Array.from({ length: 12 }, (_, i) => scored(`o${String(i).padStart(2, '0')}`, 0.96, `k${i}`));
    const order = ids(diversify([scored('a1', 1, 'A'), scored('a2', 0.98, 'A'), ...others]));
    expect(order.indexOf('a2')).toBe(11);
  });

  it('keeps score order, ties by id, when nothing scores above zero', () => {
    const list = [scored('b', 0, 'A'), scored('a', 0, 'A'), scored('c', -1, 'A'), scored('d', 0, 'A')];
    expect(ids(diversify(list))).toEqual(['a', 'b', 'd', 'c']);
    expect(ids(diversifiedTop(list, 2))).toEqual(['a', 'b']);
    expect(diversifiedTop(list, 0)).toEqual([]);
    expect(diversifiedTop(list, -1)).toEqual([]);
    // All below zero: score order too (a relevance relative to a negative top would reverse it).
    const negative = [scored('y', -2, 'B'), scored('x', -1, 'A'), scored('z', -3, 'A')];
    expect(ids(diversify(negative))).toEqual(['x', 'y', 'z']);
    expect(ids(diversifiedTop(negative, 2))).toEqual(['x', 'y']);
  });

  it('re-ranks only the first positions asked for, the rest by score', () => {
    const list = [scored('a1', 1, 'A'), scored('a2', 0.99, 'A'), scored('a3', 0.98, 'A'), scored('b1', 0.97, 'B')];
    expect(ids(diversify(list, 1))).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(ids(diversify(list, 2))).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(DIVERSIFIED_POSITIONS).toBe(100);
  });
});

describe('rankedTop', () => {
  it('beyond the diversified positions, the full diversification, hidden services left out', () => {
    const list = Array.from({ length: 130 }, (_, i) =>
      scored(`s${String(i).padStart(3, '0')}`, 1 - i / 1000, `k${i % 3}`),
    );
    const full = ids(diversify(list, DIVERSIFIED_POSITIONS));
    expect(ids(rankedTop(list, 120))).toEqual(full.slice(0, 120));
    // 95 asked and 10 hidden reach past the diversified 100: the same order, less the hidden.
    const hidden = new Set(full.slice(0, 10));
    expect(ids(rankedTop(list, 95, new Set(), hidden))).toEqual(full.slice(10, 105));
    expect(ids(rankedTop(list, 5, new Set(), new Set(['s000'])))).toEqual(full.slice(1, 6));
  });

  it('gives the contenders’ top when the cap leaves out some of them', () => {
    // Seven of one category on top, close together: the cap passes over four, so the picks
    // reach further down than the best scores.
    const list = [
      ...Array.from({ length: 7 }, (_, i) => scored(`a${i}`, 1 - i / 1000, 'A')),
      ...Array.from({ length: 10 }, (_, i) => scored(`b${i}`, 0.9 - i / 100, `k${i}`)),
    ];
    for (const count of [3, 5, 8, 10])
      expect(ids(diversifiedTop(list, count))).toEqual(ids(diversify(list, count).slice(0, count)));
    expect(ids(diversifiedTop(list, 10)).filter((id) => id.startsWith('a'))).toHaveLength(3);
    expect(ids(diversifiedTop(list, 10, new Set(['A']))).filter((id) => id.startsWith('a'))).toHaveLength(7);
  });
});

describe('diversifiedTop against diversify', () => {
  it('gives the same first positions on many lists, the cap biting and lifted', () => {
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 60; round += 1) {
      const size = 1 + Math.floor(random() * 40);
      const categories = 1 + Math.floor(random() * 6);
      // Scores on a coarse grid (ties), some rounds with zeros and a few well apart.
      const list = Array.from({ length: size }, (_, i) =>
        scored(
          `s${String(i).padStart(2, '0')}`,
          round % 7 === 0
            ? Math.floor(random() * 3) / 2
            : Math.round((0.9 + random() * 0.1) * 200) / 200 - (i % 9 === 0 ? 0.3 : 0),
          `k${Math.floor(random() * categories)}`,
          `p${Math.floor(random() * 2)}`,
        ),
      );
      const uncapped = round % 3 === 0 ? new Set(['k0']) : new Set<string>();
      for (const count of [1, 3, 4, 7, 10, 12, 25]) {
        expect({ round, count, ids: ids(diversifiedTop(list, count, uncapped)) }).toEqual({
          round,
          count,
          ids: ids(diversify(list, count, uncapped).slice(0, count)),
        });
      }
    }
  });
});

describe('contendersOf: the candidates diversifiedTop sorts and looks at', () => {
  // A pick passes over a better-scoring candidate only for one at most (1−λ)/λ of the top
  // below it (the most that redundancy can take off a value): whatever scores lower than the
  // count-th pickable score less that bound cannot reach the first positions, and is left out.
  const bound = (1 - TUNING.mmrLambda) / TUNING.mmrLambda;
  const spread = (scale: number) => [
    ...Array.from({ length: 10 }, (_, i) => scored(`s${i}`, (1 - i / 100) * scale, `k${i}`)),
    // At the bound below the third best score: it stays. A little lower: it is left out.
    scored('edge', (0.98 - bound) * scale, 'ke'),
    scored('below', (0.98 - 1.002 * bound) * scale, 'kb'),
  ];

  it('keeps what scores within (1−λ)/λ of the top below the count-th best score, in rank order', () => {
    const kept = ['s0', 's1', 's2', 's3', 's4', 'edge'];
    expect(ids(contendersOf(spread(1), 3)!)).toEqual(kept);
    // The bound is relative to the top score: twice the scores, the same candidates.
    expect(ids(contendersOf(spread(2), 3)!)).toEqual(kept);
    expect(ids(contendersOf(spread(0.5), 3)!)).toEqual(kept);
    // In any order given.
    expect(ids(contendersOf([...spread(1)].reverse(), 3)!)).toEqual(kept);
    expect(ids(contendersOf(spread(1), 1)!)).toEqual(['s0', 's1', 's2']);
    // As many as asked for: all of them.
    expect(ids(contendersOf(spread(1), 12)!)).toEqual([...kept, 'below', 's5', 's6', 's7', 's8', 's9']);
  });

  it('reaches further down when the cap passes over a category’s services, unless the category is uncapped', () => {
    const list = [
      ...Array.from({ length: 5 }, (_, i) => scored(`a${i}`, 1 - i / 100, 'A')),
      ...Array.from({ length: 5 }, (_, i) => scored(`k${i}`, 0.95 - i / 100, `k${i}`)),
    ];
    // Four picks: a0–a2 and k0 (a3 and a4 are over the cap), so down to 0.95 less the bound.
    expect(ids(contendersOf(list, 4)!)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'k0', 'k1', 'k2']);
    // Uncapped, the fourth pick may be a3: down to 0.97 less the bound.
    expect(ids(contendersOf(list, 4, new Set(['A']))!)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'k0']);
    expect(ids(contendersOf(list, 4, new Set(['B']))!)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'k0', 'k1', 'k2']);
  });

  it('finds the floor further down when the best scores are all of capped categories', () => {
    // The four best scores are of A, which the cap lets give three picks: the fourth is k0,
    // below them all, and what scores less than it by more than the bound is left out.
    const list = [
      ...Array.from({ length: 4 }, (_, i) => scored(`a${i}`, 1 - i / 100, 'A')),
      ...Array.from({ length: 4 }, (_, i) => scored(`k${i}`, 0.5 - i / 10, `k${i}`)),
    ];
    expect(ids(contendersOf(list, 4)!)).toEqual(['a0', 'a1', 'a2', 'a3', 'k0']);
    expect(ids(diversifiedTop(list, 4))).toEqual(ids(diversify(list, 4)).slice(0, 4));
  });

  it('gives nothing to narrow when too few can be picked or nothing scores above zero', () => {
    const three = [scored('x', 1, 'A'), scored('y', 0.5, 'B'), scored('z', 0.2, 'C')];
    expect(ids(contendersOf(three, 3)!)).toEqual(['x', 'y', 'z']);
    expect(contendersOf(three, 4)).toBeUndefined();
    const capped = Array.from({ length: 5 }, (_, i) => scored(`a${i}`, 1 - i / 100, 'A'));
    expect(contendersOf(capped, 4)).toBeUndefined();
    expect(ids(contendersOf(capped, 4, new Set(['A']))!)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(contendersOf([scored('x', 0, 'A'), scored('y', 0, 'B')], 1)).toBeUndefined();
    expect(contendersOf([scored('x', -1, 'A'), scored('y', -2, 'B')], 1)).toBeUndefined();
    expect(contendersOf([], 1)).toBeUndefined();
  });
});
