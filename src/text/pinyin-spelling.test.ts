import { PinyinSpeller } from './pinyin-spelling';

const speller = new PinyinSpeller(
  new Map([
    ['社保卡', 3],
    ['公积金', 12],
    ['身份证', 5],
    ['居住证', 2],
    ['驾驶证', 4],
    ['驾驶室', 1],
    ['医保', 9],
  ]),
  ['hpv'],
);

describe('PinyinSpeller', () => {
  it('reads pinyin initials and whole pinyin in a Chinese text as the word they spell', () => {
    expect(speller.spellOut('sbk丢了怎么补')).toBe('社保卡丢了怎么补');
    expect(speller.spellOut('gjj怎么提取')).toBe('公积金怎么提取');
    expect(speller.spellOut('想办个jzz')).toBe('想办个居住证');
    expect(speller.spellOut('gongjijin余额')).toBe('公积金余额');
    expect(speller.spellOut('shebaoka丢了')).toBe('社保卡丢了');
    expect(speller.spellOut('yb异地备案')).toBe('医保异地备案');
  });

  it('reads a text typed wholly in pinyin as the words it spells, never by initials', () => {
    expect(speller.spellOut('shebaoka')).toBe('社保卡');
    expect(speller.spellOut('gongjijin yibao')).toBe('公积金 医保');
    expect(speller.spellOut('Shenfenzheng')).toBe('身份证');
    expect(speller.spellOut('sbk')).toBe('sbk');
  });

  it('takes the word most services use when initials fit several', () => {
    expect(speller.spellOut('jsz补办')).toBe('驾驶证补办');
  });

  it('leaves English words, capitals, known words and English texts alone', () => {
    expect(speller.spellOut('去HK要办什么证')).toBe('去HK要办什么证');
    expect(speller.spellOut('打hpv疫苗')).toBe('打hpv疫苗');
    expect(speller.spellOut('我的ID card丢了')).toBe('我的ID card丢了');
    expect(speller.spellOut('my sbk is lost')).toBe('my sbk is lost');
    expect(speller.spellOut('想apply公租房')).toBe('想apply公租房');
    expect(speller.spellOut('hpv shebaoka')).toBe('hpv shebaoka');
    expect(speller.spellOut('SHEBAOKA')).toBe('SHEBAOKA');
    expect(speller.spellOut('I lost my shebaoka')).toBe('I lost my shebaoka');
  });
});
