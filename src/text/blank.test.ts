import { isBlankText, VISIBLE_CHARACTER } from './blank';

describe('isBlankText', () => {
  it.each([
    ['absent', null],
    ['empty', ''],
    ['white space, the ideographic space included', ' \t\n\u3000'],
    ['zero-width space, non-joiner and joiner', '\u200b\u200c\u200d'],
    ['word joiner and bidirectional controls', '\u2060\u202e\u202d\u2066\u2069\u200f'],
    ['BOM and soft hyphen', '\ufeff\u00ad'],
    ['Hangul fillers', '\u3164\u115f\u1160\uffa0'],
  ])('is blank: %s', (_, text) => expect(isBlankText(text)).toBe(true));

  it.each([
    ['Chinese', '社保卡'],
    ['a letter between invisible characters', '\u200ba\u200d'],
    ['an emoji', '😀'],
    ['an emoji sequence joined by ZWJ', '👨‍👩‍👧'],
    ['full-width letters', 'ｆｕｌｌ'],
    ['punctuation', '？'],
    ['a right-to-left letter', '\u05d0'],
  ])('is not blank: %s', (_, text) => expect(isBlankText(text)).toBe(false));

  it('serves class-validator as the pattern a text must match', () => {
    expect(VISIBLE_CHARACTER.test('\u200b\u200b')).toBe(false);
    expect(VISIBLE_CHARACTER.test('\u200b公\u200b')).toBe(true);
  });
});
