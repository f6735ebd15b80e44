import {
  commercialServiceAskedFor,
  disclaimersOf,
  onlyTriesTheInput,
  otherCityAskedAbout,
  privateFinanceAskedAbout,
  vehicleTradeAskedFor,
  withoutLoneTermParts,
  withoutMarkup,
} from './request-reading';

const wanted = (text: string) => disclaimersOf(text).wanted;

describe('disclaimersOf', () => {
  it('takes out the clause that says what is not wanted, with or without punctuation', () => {
    expect(disclaimersOf('不是要办新的社保卡，是原来那张丢了')).toEqual({
      wanted: '是原来那张丢了',
      disclaimed: ['不是要办新的社保卡'],
    });
    expect(wanted('不是查电费是家里突然停电了')).toBe('是家里突然停电了');
    expect(wanted('我不要贷款，只是想查一下公积金还剩多少钱')).toBe('只是想查一下公积金还剩多少钱');
    expect(wanted('不办护照，要办去香港用的那个证')).toBe('要办去香港用的那个证');
    expect(wanted('不是驾照到期换证，我驾照是弄丢了')).toBe('我驾照是弄丢了');
    expect(wanted('我没有失业，只是想换个工作')).toBe('只是想换个工作');
    expect(wanted('不是要辦新卡，是舊的不見了')).toBe('是舊的不見了');
    expect(wanted('not a new card, I lost mine')).toBe('I lost mine');
    expect(wanted("I don't want a loan, I just want my balance")).toBe('I just want my balance');
  });

  it('leaves questions, situations and a lone disclaimer as they are', () => {
    for (const text of [
      '她八十五了每个月是不是有高龄补贴',
      '不是本地户口，是不是不能办',
      '不是本地户口，能办吗',
      '不是本地户口',
      '坐公交不要钱吗',
      '没有工作怎么办',
      '没有工作，想找个活',
      '没有钱是不是可以申请低保',
      '不想活了',
      '老公不要我了，要离婚',
      '孩子不是贵阳户口，能上公办小学吗',
    ]) {
      expect(disclaimersOf(text)).toEqual({ wanted: text, disclaimed: [] });
    }
  });
});

describe('otherCityAskedAbout', () => {
  it('names the other city whose own service is asked about', () => {
    expect(otherCityAskedAbout('深圳地铁老人卡怎么办')).toBe('深圳');
    expect(otherCityAskedAbout('重庆的居住证到期了要签注')).toBe('重庆');
    expect(otherCityAskedAbout('成都的孩子小升初怎么报名')).toBe('成都');
    expect(otherCityAskedAbout('how do I apply for a Shanghai residence permit')).toBe('Shanghai');
    expect(otherCityAskedAbout('想办深圳的学生卡')).toBe('深圳');
    expect(otherCityAskedAbout('在上海办居住证要什么材料')).toBe('上海');
    expect(otherCityAskedAbout('在成都怎么交灵活就业社保')).toBe('成都');
    expect(otherCityAskedAbout('how do I get a Shenzhen metro card for my mother')).toBe('Shenzhen');
    expect(otherCityAskedAbout('where do I apply for a senior bus pass in Chongqing')).toBe('Chongqing');
  });

  it('is null where a city names where a person lives, works or comes from, and this city answers', () => {
    for (const text of [
      '我儿子在深圳，家里老人没人照顾', // a relative elsewhere, care at home here
      '女儿在上海上班，我一个人在家腿脚不方便',
      '我在深圳的女儿想给我申请居家养老服务',
      '我是四川人，想在这边交社保',
      '从重庆来的，孩子上学怎么办',
      '四川人，老婆怀孕了产检在哪建档',
      '我老公在成都打工，家里孩子的低保怎么申请',
      'my son works in Shenzhen and I live alone, who can help me at home',
      'I am from Chengdu, how do I apply for a residence permit',
    ]) {
      expect(otherCityAskedAbout(text)).toBeNull();
    }
  });

  it('is null for this city, for matters that cross cities, and for where a citizen comes from', () => {
    for (const text of [
      '我从深圳辞职回贵阳了那边交的社保要转回来',
      '身份证快过期了，我是四川户口能在贵阳换吗',
      '在上海住院了怎么报销',
      '要去北京看病，医保要备案吗',
      "I'm moving to Shanghai, can I keep my Guiyang medical insurance",
      'my fiancee is from Zunyi, how do we register our marriage',
      '地铁老人卡怎么办',
      '在深圳交的公积金',
      'my mother lives with me in Shenzhen, is she insured there',
    ]) {
      expect(otherCityAskedAbout(text)).toBeNull();
    }
  });
});

describe('commercialServiceAskedFor', () => {
  it('names the good or service a request asks a seller for', () => {
    expect(commercialServiceAskedFor('冰箱坏了找谁修')).toBe('冰箱');
    expect(commercialServiceAskedFor('健身卡哪家划算')).toBe('健身卡');
    expect(commercialServiceAskedFor('where can I get my laptop fixed')).toBe('laptop');
    // A household appliance, and a group purchase asked for.
    expect(commercialServiceAskedFor('小区团购净水器哪家好')).toBe('净水器');
  });

  it('names a purchase or a restaurant asked of sellers, and leaves the licences of opening a shop to the city', () => {
    expect(commercialServiceAskedFor('有人知道哪里能买二手 iPhone 吗')).toBe('iPhone');
    expect(commercialServiceAskedFor('any good hotpot place open late near Huaxi?')).toBe('hotpot');
    expect(commercialServiceAskedFor('这附近哪家火锅好吃')).toBe('火锅');
    expect(commercialServiceAskedFor('开个咖啡店需要哪些证')).toBeNull();
    expect(commercialServiceAskedFor('想开家火锅店，哪家办执照快')).toBeNull();
    expect(commercialServiceAskedFor('I want to open a coffee shop, which licence do I need')).toBeNull();
  });

  it('is null for what the city does for customers and for a device that is only the means', () => {
    for (const text of [
      '买的冰箱坏了商家不给修，要投诉', // a complaint against the seller: 12315
      '买空调的国补怎么领', // a trade-in subsidy
      '手机上能不能充燃气费', // the phone is the means
      '去药店买药，手机上可以扫码付吗',
      '给我妈请个保洁，她八十多了一个人住', // care for an older person
      '冰箱以旧换新',
      '房子漏水把空调泡坏了，住房维修基金能用吗', // the housing maintenance fund
      '老旧小区改造能不能把楼道里的宽带线也修一下', // an old estate's renovation
      '家里做适老化改造，卫生间热水器要修', // a home made safe for an older person
      '家电以旧换新补贴，买台冰箱能补多少',
      '买的手机坏了，消费者投诉打哪个电话',
      'can the maintenance fund pay to fix the broken air con in the stairwell',
    ]) {
      expect(commercialServiceAskedFor(text)).toBeNull();
    }
  });
});

describe('vehicleTradeAskedFor', () => {
  it("names what an insurer, a scrapyard or a garage does to a citizen's vehicle", () => {
    expect(vehicleTradeAskedFor('电动车想上个保险去哪买')).toBe('车想上个保险');
    expect(vehicleTradeAskedFor('交强险哪家便宜，我的车下个月到期')).toBe('交强险');
    expect(vehicleTradeAskedFor('老摩托骑不动了，拿去报废能卖多少钱')).toBe('报废');
    expect(vehicleTradeAskedFor('轿车改装排气声浪合法吗')).toBe('改装');
    expect(vehicleTradeAskedFor('where can I insure my motorbike')).toBe('insure my motorbike');
    expect(vehicleTradeAskedFor('I want to get a roof rack fitted on my car')).toBe('roof rack');
    expect(commercialServiceAskedFor('汽车想装个尾翼')).toBe('尾翼');
    // A garage's work on the body and the upkeep of a car.
    expect(vehicleTradeAskedFor('车子被刮了想补漆')).toBe('补漆');
    expect(vehicleTradeAskedFor('汽车该保养了去哪')).toBe('保养');
  });

  it("is null for the city's services on vehicles and for insurance that is not the vehicle's", () => {
    for (const text of [
      '旧车报废了，以旧换新补贴怎么申请', // the scrappage subsidy (TR-0011)
      '老车想报废换辆新的，能补多少',
      '买车险的时候多收了车船税', // vehicle tax (TX-0004)
      '残疾人摩托车加油补贴', // disabled drivers (DS-0011)
      '电动车想在车位加装充电桩', // a home charger (UT-0010)
      '新车上牌要先买交强险吗',
      '汽车年检要带保险单吗',
      '骑电动车送外卖，工伤保险怎么交', // a rider's social insurance
      '车被撞了保险公司不赔', // an accident
      '小区老旧改造后加装电梯', // no vehicle
      'do I need insurance to register my scooter',
    ]) {
      expect(vehicleTradeAskedFor(text)).toBeNull();
    }
  });
});

describe('withoutMarkup', () => {
  it('takes out tags, scripts and template placeholders, and keeps what the citizen wrote', () => {
    expect(withoutMarkup('<b>低保</b>怎么申请')).toBe('低保 怎么申请');
    expect(withoutMarkup('<script>document.cookie</script>公租房排队')).toBe('公租房排队');
    expect(withoutMarkup('{{constructor.constructor("x")()}}')).toBe('');
    expect(withoutMarkup('<iframe src="//x.example">')).toBe('');
  });

  it('takes out a database statement whole and what is left of an injection', () => {
    expect(withoutMarkup("'; DROP TABLE residents; --")).toBe('');
    expect(withoutMarkup('SELECT id, phone FROM users; 我想问残疾证怎么办')).toBe('我想问残疾证怎么办');
    expect(withoutMarkup('admin" OR "x"="x')).toBe('admin');
    expect(withoutMarkup("1' UNION SELECT password FROM accounts --")).toBe('1');
  });

  it('leaves ordinary requests alone, English ones with select, from or or included', () => {
    for (const text of [
      'how do I choose a primary school from two near my home',
      'pension or medical insurance, which first?',
      '社保卡丢了 -- 怎么补',
      '孩子3岁，幼儿园怎么报名',
    ]) {
      expect(withoutMarkup(text)).toBe(text);
    }
  });
});

describe('withoutLoneTermParts', () => {
  it('takes out English words that only a missing term gives a meaning', () => {
    expect(withoutLoneTermParts('citizen')).toBe('');
    expect(withoutLoneTermParts('I am a citizen of this city, what can I get')).toBe(
      'I am a of this city, what can I get',
    );
    expect(withoutLoneTermParts('just a test')).toBe('just a');
    expect(withoutLoneTermParts('testing testing')).toBe('');
    expect(withoutLoneTermParts('I am senior')).toBe('I am');
  });

  it('keeps them within their terms', () => {
    for (const text of [
      'my grandmother is a senior citizen',
      'where to book a physical fitness test',
      'I need to retake my driving test',
      'senior high school entrance exam',
      'do seniors ride buses free',
    ]) {
      expect(withoutLoneTermParts(text)).toBe(text);
    }
  });
});

describe('onlyTriesTheInput', () => {
  it('is true for the words of trying the input or greeting alone', () => {
    for (const text of [
      '测试',
      '测试测试 123',
      '就是试一下',
      '這是一條測試消息',
      'test test',
      'Hello!',
      '你好，在吗？',
    ]) {
      expect(onlyTriesTheInput(text)).toBe(true);
    }
  });

  it('is false for a request, however short, and for digits alone', () => {
    for (const text of ['体能测试', '测试一下孩子的视力去哪', 'hello 我想办居住证', '12345', '低保']) {
      expect(onlyTriesTheInput(text)).toBe(false);
    }
  });
});

describe('privateFinanceAskedAbout', () => {
  it('names the private investment a request asks about', () => {
    expect(privateFinanceAskedAbout('想炒股，在哪开户')).toBe('炒股');
    expect(privateFinanceAskedAbout('基金定投哪个好')).toBe('基金定投');
    expect(privateFinanceAskedAbout('how do I buy bitcoin')).toBe('bitcoin');
    expect(privateFinanceAskedAbout('美元外汇现在能换吗')).toBe('外汇');
    expect(privateFinanceAskedAbout('买点黄金ETF')).toBe('ETF');
  });

  it('is null for fraud, the public funds and what is no investment', () => {
    for (const text of [
      '炒股被人骗了十万，怎么报警',
      '公积金能买基金吗',
      '国家自然科学基金怎么申报',
      '残疾人基金会的救助怎么申请',
      'I lost money in a crypto scam',
    ]) {
      expect(privateFinanceAskedAbout(text)).toBeNull();
    }
  });
});
