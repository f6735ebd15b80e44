import { leadingPart } from './leading';

describe('leadingPart', () => {
  it('keeps a text no longer than the bound', () => {
    expect(leadingPart('社保卡丢了', 5)).toBe('社保卡丢了');
    expect(leadingPart('', 5)).toBe('');
  });

  it('cuts a longer text at the bound', () => {
    expect(leadingPart('社保卡丢了怎么办', 5)).toBe('社保卡丢了');
  });

  it('never leaves half of a surrogate pair', () => {
    // '😀' is two code units: cut after its first, the whole pair goes.
    expect(leadingPart('ab😀cd', 3)).toBe('ab');
    expect(leadingPart('ab😀cd', 4)).toBe('ab😀');
  });
});
