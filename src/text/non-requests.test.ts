import { expressesNoNeed, isLatinGibberish, needWords, withoutCode } from './non-requests';

/** Texts that express no need, by kind. */
const NO_NEED: Record<string, string[]> = {
  greeting: [
    '你好',
    '您好',
    '大家好',
    '早上好',
    '晚安',
    '您好，请问在吗',
    'hello',
    'Hi there',
    'good morning',
    '你好呀',
  ],
  thanks: ['谢谢', '謝謝', '好的谢谢', '辛苦了', '不好意思打扰了', 'thanks!', 'thank you', 'ok', '收到'],
  plea: [
    '帮帮我',
    '怎么办',
    '在吗',
    '在不在',
    '有人吗',
    '谁能帮帮我',
    '我有个问题',
    '我想咨询一下',
    '救命啊',
    'help',
    'help me please',
    'I need help',
    'anyone there?',
    '怎么回事？',
  ],
  test: ['测试一下', '测试', '试试', 'test', 'testing 123', 'test123', 'TEST TEST'],
  laughter: ['哈哈哈哈', '呵呵', '嘿嘿嘿', '哈哈哈哈哈哈哈哈哈哈', '啊啊啊', 'hahaha', 'lol', 'xD'],
  placeholder: ['null', 'undefined', 'NaN', 'None', '[object Object]', 'N/A', '无', '暂无', 'true'],
  gibberish: ['asdfghjkl', 'qwerty', 'sdfsdf', 'jkjkjk', 'zxcvbnm', 'abcdefg', 'xxx', 'aaaa', 'sdfghjk', 'fjfjfjfj'],
  digits: ['1234567890', '123', '13800000000', '０１２３'],
  punctuation: ['？？？', '...', '!!!', '。', '   ', '', '👍', '🙂🙂'],
  markup: [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '&lt;script&gt;alert("xss")&lt;/script&gt;',
    '<b></b>',
    '<!-- comment -->',
    '<svg onload=alert(document.cookie)>',
    'javascript:alert(1)',
  ],
  injection: [
    'DROP TABLE service',
    "'; DROP TABLE users; --",
    "1' OR '1'='1",
    'SELECT * FROM signal',
    "admin' --",
    'UNION SELECT password FROM users',
    '../../etc/passwd',
    '..%2f..%2fetc%2fpasswd',
    '/etc/passwd',
    'C:\\Windows\\system32',
    '{{7*7}}',
    '${jndi:ldap://example.com/a}',
    '<%= 7*7 %>',
    '#{7*7}',
  ],
};

/** Short real needs, each keeping at least one need word. */
const NEEDS: Record<string, string[]> = {
  chinese: [
    '路灯坏了',
    '失恋',
    '想学游泳',
    '考研',
    '养狗',
    'Wi-Fi 没信号',
    '停车难',
    '公厕太少',
    '我饿了',
    '空调坏了',
    '求职',
    '急救培训',
    '核酸测试',
    '英语测试在哪考',
    '谢谢你们修好了路灯，但是井盖还是坏的',
    '你好，我想办居住证',
    '帮帮我，房东不退押金',
    '在吗？我家下水道堵了',
    '哈哈，想问下公积金怎么提取',
    '测试一下能不能办护照',
    '没有暖气',
    '想要个充电桩',
    '12345热线',
    '3岁孩子上幼儿园',
  ],
  english: [
    'need a dentist at night',
    'wifi',
    'router broken',
    'where can I park',
    'lost my passport',
    'pet vaccination',
    'help me find a job',
    'hello, my street light is broken',
    'glass recycling',
    'test for covid',
    'select a school for my son',
    'no hot water',
  ],
  'with markup': [
    '<b>路灯坏了</b>',
    '<script>alert(1)</script>下水道堵了',
    'DROP TABLE service 想养狗',
    '../../ 公厕太少',
  ],
};

describe('expressesNoNeed', () => {
  const noNeed = Object.entries(NO_NEED).flatMap(([kind, texts]) => texts.map((text) => [kind, text]));
  const needs = Object.entries(NEEDS).flatMap(([kind, texts]) => texts.map((text) => [kind, text]));

  it('has at least 40 cases each way', () => {
    expect(noNeed.length).toBeGreaterThanOrEqual(40);
    expect(needs.length).toBeGreaterThanOrEqual(40);
  });

  it.each(noNeed)('%s: %j expresses no need', (_, text) => {
    expect([text, needWords(text)]).toEqual([text, []]);
    expect(expressesNoNeed(text)).toBe(true);
  });

  it.each(needs)('%s: %j is a need', (_, text) => {
    expect(needWords(text).length).toBeGreaterThan(0);
    expect(expressesNoNeed(text)).toBe(false);
  });

  it('keeps the need words, without the greeting, the plea or the markup', () => {
    expect(needWords('路灯坏了')).toEqual(['路灯', '坏']);
    expect(needWords('你好，我想办居住证')).toEqual(expect.arrayContaining(['居住证']));
    expect(needWords('你好，我想办居住证')).not.toContain('你好');
    expect(needWords('<script>alert(1)</script>下水道堵了')).not.toContain('alert');
    expect(needWords('Wi-Fi 没信号')).toContain('信号');
    expect(needWords('need a dentist at night')).toEqual(['dentist', 'night']);
    // A Latin word is no sequence of listed words (i, on).
    expect(needWords('ion')).toEqual(['ion']);
  });
});

describe('withoutCode', () => {
  it('removes markup, SQL statements with their names, paths and template expressions', () => {
    expect(withoutCode('<p class="x">路灯</p>').trim()).toBe('路灯');
    expect(withoutCode('drop table service').trim()).toBe('');
    expect(withoutCode('../../etc/passwd').trim()).toBe('');
    expect(withoutCode('{{7*7}} 养狗').trim()).toBe('养狗');
  });

  it('leaves ordinary text and slashes within words alone', () => {
    expect(withoutCode('24/7 pharmacy')).toBe('24/7 pharmacy');
    expect(withoutCode('a < b and c > d')).toBe('a < b and c > d');
  });
});

describe('isLatinGibberish', () => {
  it('tells keyboard runs, vowel-less runs, repeats and alphabet runs from words', () => {
    for (const word of ['asdfghjkl', 'qwerty', 'sdfgh', 'hahaha', 'asdasd', 'abcdef', 'jjjj'])
      expect([word, isLatinGibberish(word)]).toEqual([word, true]);
    for (const word of ['router', 'glass', 'salad', 'output', 'dentist', 'rhythm', 'wifi', 'cctv', 'html', 'tree'])
      expect([word, isLatinGibberish(word)]).toEqual([word, false]);
  });
});
