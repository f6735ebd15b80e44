import fc from 'fast-check';
import { WordCounts } from './word-counts';

describe('WordCounts', () => {
  it('answers as a Map of the same entries, for words counted and words not', () => {
    const word = fc.string({ unit: fc.constantFrom('公', '积', '金', '社', '保', 'a', 'b', '😀'), maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(word, fc.nat()), { maxLength: 60 }),
        fc.array(word, { maxLength: 20 }),
        (entries, probes) => {
          const map = new Map(entries);
          const counts = new WordCounts(entries);
          expect(counts.size).toBe(map.size);
          for (const w of [...map.keys(), ...probes]) {
            expect(counts.get(w)).toBe(map.get(w));
            expect(counts.has(w)).toBe(map.has(w));
          }
        },
      ),
    );
  });

  it('keeps a dictionary’s worth of words apart, and their prefixes and extensions out', () => {
    const entries: [string, number][] = [];
    for (let i = 0; i < 150_000; i += 1) entries.push([`词${i.toString(36)}`, i]);
    const counts = new WordCounts(entries);
    expect(counts.get('词0')).toBe(0);
    expect(counts.get(`词${(149_999).toString(36)}`)).toBe(149_999);
    for (let i = 0; i < 150_000; i += 997) expect(counts.get(`词${i.toString(36)}`)).toBe(i);
    expect(counts.get('词')).toBeUndefined();
    expect(counts.get('词0x')).toBeUndefined();
    expect(counts.get('')).toBeUndefined();
  });
});
