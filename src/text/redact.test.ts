import {
  findPersonalData,
  foldForMatching,
  passesLuhn,
  PersonalDataKind,
  redactPersonalData,
  withoutPersonalData,
} from './redact';

describe('redactPersonalData', () => {
  // [what the citizen wrote, what others are shown]
  const redacted: [string, string][] = [
    // mobile numbers, any grouping, with or without the country code
    ['联系我13812345678', '联系我[电话]'],
    ['电话138-1234-5678谢谢', '电话[电话]谢谢'],
    ['电话 138 1234 5678', '电话 [电话]'],
    ['138.1234.5678', '[电话]'],
    ['1381 234 5678 张先生', '[电话] 张先生'],
    ['+86 138 1234 5678', '[电话]'],
    ['+86-13812345678', '[电话]'],
    ['+8613812345678', '[电话]'],
    ['008613812345678', '[电话]'],
    ['0086 138-1234-5678', '[电话]'],
    ['(+86)13812345678', '[电话]'],
    ['8613812345678', '[电话]'],
    ['手机：１３８１２３４５６７８', '手机：[电话]'],
    ['１３８－１２３４－５６７８', '[电话]'],
    ['138—1234—5678', '[电话]'],
    ['１３８　１２３４　５６７８号码', '[电话]号码'],
    ['请打19912345678或17712345678', '请打[电话]或[电话]'],
    // landlines with area code
    ['0851-86812345', '[电话]'],
    ['座机0851-8681 2345转3', '座机[电话]转3'],
    ['(0851)86812345', '[电话]'],
    ['（０８５１）８６８１２３４５', '[电话]'],
    ['010-62345678', '[电话]'],
    ['+86 851 8681 2345', '[电话]'],
    ['0851 8681 2345', '[电话]'],
    // a local number after a word that says it is one
    ['电话：8681 2345', '电话：[电话]'],
    ['联系方式是 868-12345', '联系方式是 [电话]'],
    ['Tel: 8681-2345', 'Tel: [电话]'],
    // identity numbers: 18 digits with X, grouped, 15-digit old ones
    ['身份证号520102199003071234', '身份证号[身份证]'],
    ['身份证52010219900307123X办社保', '身份证[身份证]办社保'],
    ['52010219900307123x', '[身份证]'],
    ['520102 19900307 123X', '[身份证]'],
    ['520102-1990-0307-1234', '[身份证]'],
    ['５２０１０２１９９００３０７１２３Ｘ', '[身份证]'],
    ['老身份证520102900307123', '老身份证[身份证]'],
    // e-mail addresses
    ['邮箱zhang.san@qq.com', '邮箱[邮箱]'],
    ['发到 li_si+gov@mail.gz.gov.cn 即可', '发到 [邮箱] 即可'],
    ['ｚｈａｎｇ＠１６３．ｃｏｍ', '[邮箱]'],
    ['13812345678@163.com', '[邮箱]'],
    // bank cards
    ['银行卡6222021234567890123', '银行卡[银行卡]'],
    ['卡号 6222 0212 3456 7890 123', '卡号 [银行卡]'],
    ['4111 1111 1111 1111', '[银行卡]'],
    ['4111-1111-1111-1111', '[银行卡]'],
    ['6217000010001234567', '[银行卡]'],
    // an ungrouped card number is one whether or not it passes Luhn
    ['4111111111111112', '[银行卡]'],
    // passports and travel permits
    ['护照号E12345678', '护照号[证件号]'],
    ['护照 EA1234567 已过期', '护照 [证件号] 已过期'],
    ['港澳通行证C12345678', '港澳通行证[证件号]'],
    // WeChat and QQ handles
    ['加我微信zhangsan_88', '加我微信[账号]'],
    ['微信号：wxid_abc123', '微信号：[账号]'],
    ['QQ 12345678', 'QQ [账号]'],
    ['qq号是 987654', 'qq号是 [账号]'],
    // other long numbers (what was hidden before stays hidden)
    ['工单号1234567', '工单号[号码]'],
    ['医保卡号 88886666123', '医保卡号 [号码]'],
    // seven digits exactly, zeros and nines counted among them
    ['会员号1234560', '会员号[号码]'],
    ['会员号1234569', '会员号[号码]'],
    ['电话 1234567', '电话 [电话]'],
    // one right after another
    ['a@b.cn13812345678', '[邮箱][电话]'],
    // several kinds in one text, the rest left as written
    [
      '我叫张三，电话138 1234 5678，邮箱zs@qq.com，身份证520102199003071234，想办理居住证。',
      '我叫张三，电话[电话]，邮箱[邮箱]，身份证[身份证]，想办理居住证。',
    ],
  ];

  it.each(redacted)('hides %p', (text, expected) => {
    expect(redactPersonalData(text)).toBe(expected);
  });

  // Text that must reach planners unchanged.
  const kept = [
    '2026年11月想给孩子办理出生证明',
    '2026-11-05 13:00 去办的',
    '2026.11.05',
    '2026/11/05',
    '服务代码 SS-0005 怎么办理',
    '补贴3000元什么时候发',
    '每月1500-3000元的补贴',
    '2000-3000元',
    '12345热线打不通',
    '拨打12345',
    '第3期、第12期',
    '面积120平方米',
    '贷款3000000元',
    '全市1200000人参保',
    '10:30到11:30',
    'Housing fund, 2024 2025',
    '2024 2025 2026 2027 四年',
    '我家3口人，两个孩子6岁和9岁',
    '公积金提取 5 万',
    'E5 路公交',
    'ISO 9001 认证',
    '住在3栋2单元1501',
    '版本 1.2.3',
    '192.168.1.1',
    // grouped like a card, but failing Luhn and not UnionPay's
    '4111 1111 1111 1112',
    '',
  ];

  it.each(kept)('keeps %p', (text) => {
    expect(redactPersonalData(text)).toBe(text);
  });

  it('changes nothing the second time', () => {
    for (const [text] of redacted) {
      const once = redactPersonalData(text);
      expect(redactPersonalData(once)).toBe(once);
    }
  });

  it('keeps the rest of the text as written, full-width characters included', () => {
    expect(redactPersonalData('（急）ＡＢＣ小区，电话１３８１２３４５６７８——谢谢！')).toBe(
      '（急）ＡＢＣ小区，电话[电话]——谢谢！',
    );
  });

  it('names the kind and the span in the original text', () => {
    const text = '电话１３８１２３４５６７８，邮箱a@b.cn';
    const spans = findPersonalData(text);
    expect(spans.map((s) => [s.kind, text.slice(s.start, s.end)])).toEqual([
      [PersonalDataKind.PHONE, '１３８１２３４５６７８'],
      [PersonalDataKind.EMAIL, 'a@b.cn'],
    ]);
  });

  it('leaves the personal data out, for keywords', () => {
    expect(withoutPersonalData('养狗登记 13812345678')).toBe('养狗登记  ');
  });
});

describe('foldForMatching', () => {
  it('folds one code unit for one', () => {
    const text = '１３８－１２３４　ｘ＠ｙ．ｃｎ—';
    const folded = foldForMatching(text);
    expect(folded).toBe('138-1234 x@y.cn-');
    expect(folded.length).toBe(text.length);
  });
});

describe('passesLuhn', () => {
  it('checks card numbers', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('2024202520262027')).toBe(false);
    // Doubled digits above 4 have their digits summed (9 → 18 → 9).
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
    expect(passesLuhn('5555555555554444')).toBe(true);
    expect(passesLuhn('5555555555554445')).toBe(false);
  });
});
