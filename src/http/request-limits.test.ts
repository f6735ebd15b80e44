import { jsonExcess } from './request-limits';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('jsonExcess', () => {
  it('counts containers for depth: a scalar is 0, { v: [1] } is 2', () => {
    expect(jsonExcess(1, 0, 10)).toBeNull();
    expect(jsonExcess({ v: [1] }, 2, 10)).toBeNull();
    expect(jsonExcess({ v: [1] }, 1, 10)).toBe('tooDeep');
    expect(jsonExcess({ input: { eligibility: { districtCodes: ['520103'] } } }, 4, 100)).toBeNull();
  });

  it('refuses 5,000 nested arrays (and 100,000) without overflowing the stack', () => {
    expect(jsonExcess({ v: nested(5000) }, 10, 10_000)).toBe('tooDeep');
    expect(jsonExcess(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 10, 10_000)).toBe('tooDeep');
  });

  it('counts every value, containers and scalars, keys aside', () => {
    const signals = Array.from({ length: 500 }, (_, i) => ({
      kind: 'VIEW',
      serviceId: `s${i}`,
      clientEventId: `e${i}`,
    }));
    expect(jsonExcess({ signals }, 10, 2002)).toBeNull(); // 1 + 1 + 500 × 4
    expect(jsonExcess({ signals }, 10, 2001)).toBe('tooLarge');
    expect(
      jsonExcess({ many: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])) }, 10, 10_000),
    ).toBe('tooLarge');
  });

  it('accepts null, empty containers and strings of any length', () => {
    expect(jsonExcess(null, 1, 1)).toBeNull();
    expect(jsonExcess({}, 1, 1)).toBeNull();
    expect(jsonExcess({ text: 'x'.repeat(100_000) }, 1, 2)).toBeNull();
  });
});
