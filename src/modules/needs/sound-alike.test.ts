import { normalizeText } from '../../text/normalize';
import { segment } from '../../text/tokenize';
import { SoundAlikeFinder } from './sound-alike';

const wordsOf = (text: string) => {
  const normalized = normalizeText(text);
  let offset = 0;
  return segment(normalized, false).map((word) => {
    const start = offset;
    offset += word.length;
    return { word, start, end: offset };
  });
};

describe('SoundAlikeFinder', () => {
  const finder = new SoundAlikeFinder(['社保卡', '公积金', '水管', '出狱', '居住证'], ['厨余垃圾']);
  const typos = (text: string) => finder.find(wordsOf(text)).map((t) => [text.slice(t.start, t.end), t.word]);

  it('finds a run that sounds like a vocabulary word and is unlikely as typed', () => {
    expect(typos('社宝卡丢了')).toEqual([['社宝卡', '社保卡']]);
    expect(typos('公基金怎么提取')).toEqual([['公基金', '公积金']]);
    expect(typos('办居主证')).toEqual([['居主证', '居住证']]);
  });

  it('leaves common words that sound like a rarer word, known words and runs written right alone', () => {
    expect(typos('谁管这事')).toEqual([]);
    expect(typos('社保卡丢了')).toEqual([]);
    expect(typos('厨余垃圾')).toEqual([]);
    expect(new SoundAlikeFinder(['出狱']).find(wordsOf('厨余垃圾')).length).toBe(1);
  });

  it('takes a rarer word for a typo where the phrases write it next to the same word', () => {
    const withContext = new SoundAlikeFinder(['育儿', '补贴'], ['育儿补贴怎么领']);
    const found = (finder: SoundAlikeFinder, text: string) =>
      finder.find(wordsOf(text)).map((t) => [text.slice(t.start, t.end), t.word]);
    expect(found(withContext, '一岁宝宝的玉儿补贴怎么申请')).toEqual([['玉儿', '育儿']]);
    // Without the neighbour written beside it, 玉儿 is likelier as typed than 育儿 with a typo's cost.
    expect(found(withContext, '玉儿今天没来')).toEqual([]);
    expect(found(new SoundAlikeFinder(['育儿', '补贴']), '玉儿补贴怎么申请')).toEqual([]);
  });
});
