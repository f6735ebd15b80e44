import { categoryTransitions, nextCategories, storedTransitions, transitionsFromStored } from './transitions';

const DAY = 86_400_000;

describe('categoryTransitions', () => {
  it('spreads what follows each signal within the window over categories, one count per signal', () => {
    const transitions = categoryTransitions(
      [
        [
          { categoryId: 'birth', at: 0 },
          { categoryId: 'hukou', at: 2 * DAY },
          { categoryId: 'insurance', at: 3 * DAY },
        ],
      ],
      14,
    );
    // birth → hukou and insurance, half each; hukou → insurance; insurance has no follower.
    expect(transitions.get('birth')).toEqual(
      new Map([
        ['hukou', 0.5],
        ['insurance', 0.5],
      ]),
    );
    expect(transitions.get('hukou')).toEqual(new Map([['insurance', 1]]));
    expect(transitions.has('insurance')).toBe(false);
  });

  it('averages over the signals of a category, across citizens, and keeps a category following itself', () => {
    const transitions = categoryTransitions(
      [
        [
          { categoryId: 'a', at: DAY },
          { categoryId: 'a', at: 0 },
        ],
        [
          { categoryId: 'a', at: 0 },
          { categoryId: 'b', at: DAY },
        ],
      ],
      14,
    );
    // Sorted by time per citizen; each row sums to 1.
    expect(transitions.get('a')).toEqual(
      new Map([
        ['a', 0.5],
        ['b', 0.5],
      ]),
    );
  });

  it('ignores what comes after the window', () => {
    const transitions = categoryTransitions(
      [
        [
          { categoryId: 'a', at: 0 },
          { categoryId: 'b', at: 15 * DAY },
        ],
      ],
      14,
    );
    expect(transitions.size).toBe(0);
  });
});

describe('nextCategories', () => {
  const transitions = new Map([
    ['a', new Map([['b', 1]])],
    [
      'c',
      new Map([
        ['c', 0.5],
        ['d', 0.5],
      ]),
    ],
  ]);

  it('weights each category of use by how recently it was used, as shares of 1', () => {
    const now = 10 * DAY;
    // a used now (weight 1), c a half-life ago (weight 1/2).
    const { shares, via } = nextCategories(
      new Map([
        ['a', now],
        ['c', now - 7 * DAY],
      ]),
      transitions,
      now,
      7,
    );
    expect(shares.get('b')).toBeCloseTo(1 / 1.5);
    expect(shares.get('c')).toBeCloseTo(0.25 / 1.5);
    expect(shares.get('d')).toBeCloseTo(0.25 / 1.5);
    expect(via.get('b')?.category).toBe('a');
    expect(via.get('d')?.category).toBe('c');
  });

  it('is empty for categories the city never saw followed', () => {
    const { shares } = nextCategories(new Map([['z', 0]]), transitions, DAY, 7);
    expect(shares.size).toBe(0);
  });
});

describe('stored transitions', () => {
  it('read back as they were stored', () => {
    const transitions = categoryTransitions(
      [
        [
          { categoryId: 'a', at: 0 },
          { categoryId: 'b', at: DAY },
          { categoryId: 'a', at: 2 * DAY },
        ],
      ],
      14,
    );
    const stored = JSON.parse(JSON.stringify(storedTransitions(transitions)));
    expect(transitionsFromStored(stored)).toEqual(transitions);
  });

  it('refuse a share out of bounds', () => {
    expect(() => transitionsFromStored({ a: { b: 2 } })).toThrow(/out of bounds/);
    expect(() => transitionsFromStored({ a: { b: 'x' as never } })).toThrow(/out of bounds/);
  });
});
