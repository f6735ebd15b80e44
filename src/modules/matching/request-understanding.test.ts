import { readCatalogueSeed } from '../../../seeds/catalogue';
import { NeedRecogniser, servicePhrasesOf } from '../needs/need-recognition';
import { buildNeedsModel, readNeedsData, seededNeedsModel } from '../needs/needs-data';
import {
  LEXICAL_UNMET_THRESHOLD,
  LISTED_FLOOR,
  RequestUnderstander,
  signalVerdict,
  UNDERSTANDING_SETTINGS,
} from './request-understanding';
import { TextMatcher } from './text-matcher';
import { indexAssociations, MIN_LEARNED_SCORE, termsOf } from '../needs/learned-associations';
import { MAX_REQUEST_UNDERSTOOD } from '../../core/limits';

// The seeded catalogue and needs model; services are identified by their codes. No typo reading: faster to build.
const services = readCatalogueSeed().services;
const model = seededNeedsModel();
const matcher = new TextMatcher(
  services.map((s) => ({
    id: s.code,
    title: s.title,
    titleEn: s.titleEn,
    tags: s.tags,
    summary: s.summary,
    description: s.description ?? null,
    categoryCodes: [s.category],
    districtCodes: s.eligibility.districts,
  })),
);
const recogniser = new NeedRecogniser(model, { servicePhrases: servicePhrasesOf(services), typos: false });
const understander = new RequestUnderstander(
  matcher,
  recogniser,
  model,
  new Map(services.map((s) => [s.code, s.code])),
);
const understand = (text: string) => understander.understand(text, { limit: 5 });
const kindsOf = (code: string) => understander.serviceKinds(code);

describe('RequestUnderstander: the blend', () => {
  it('answers a situation through the need it expresses, with the need quoted and parts that add up to the score', () => {
    const result = understand('我老公喝了酒就打我');
    expect(result.unmet).toBe(false);
    expect(result.needs[0].need.code).toBe('domestic-violence');
    const [best] = result.matches;
    expect(best.serviceId).toBe('FC-0011');
    expect(best.need?.need.code).toBe('domestic-violence');
    expect(best.need?.excerpt).toContain('打');
    expect(best.needScore + best.lexicalScore).toBeCloseTo(best.score, 10);
    expect(best.needScore).toBeGreaterThan(best.lexicalScore);
  });

  it("quotes the citizen's own words, not the standard words their family and spoken forms are read as", () => {
    const [best] = understand('我老婆下个月生孩子，要准备什么手续').matches;
    expect(best.need).not.toBeNull();
    expect(best.need!.excerpt).toContain('老婆');
    expect(best.need!.excerpt).not.toContain('妻子');
    const [father] = understand('我爸一个人住，最近老是忘事').matches;
    expect(father.need!.excerpt).not.toContain('父亲');
  });

  it('lets a confident lexical match on a title win for a request that names the service', () => {
    const [best] = understand('社保卡挂失').matches;
    expect(best.serviceId).toBe('SS-0008');
    expect(best.lexicalScore).toBeGreaterThan(0);
    // Without the words, the need alone would not single it out as surely.
    expect(best.score).toBeGreaterThan(best.needScore);
  });

  it('is the lexical matcher for text that expresses no need', () => {
    const result = understand('今天天气怎么样');
    expect(result.needs).toEqual([]);
    expect(result.unmet).toBe(true);
    expect(result.gap).toBeNull();
  });
});

describe('RequestUnderstander: a long text', () => {
  const verse = '天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏';
  const filler = (length: number) => verse.repeat(Math.ceil(length / verse.length)).slice(0, length);
  const need = '我老公喝了酒就打我';

  it('is understood as its first MAX_REQUEST_UNDERSTOOD characters', () => {
    const long = need + filler(2_000 - need.length);
    expect(understand(long)).toEqual(understand(long.slice(0, MAX_REQUEST_UNDERSTOOD)));
    expect(understand(long).needs[0]?.need.code).toBe('domestic-violence');
    expect(understander.topNeed(long)?.code).toBe('domestic-violence');
  });

  it('reads nothing after them', () => {
    const head = filler(MAX_REQUEST_UNDERSTOOD);
    const late = head + need;
    expect(understand(late)).toEqual(understand(head));
    expect(understand(late).needs.map((n) => n.need.code)).not.toContain('domestic-violence');
    expect(understander.topNeed(late)).toEqual(understander.topNeed(head));
    // Ending at the bound, it is read.
    expect(understand(filler(MAX_REQUEST_UNDERSTOOD - need.length) + need).needs[0]?.need.code).toBe(
      'domestic-violence',
    );
  });
});

describe('RequestUnderstander: whom a request is about', () => {
  it('never answers a request about a pet with a service for people', () => {
    for (const text of ['我家猫死了想火化', '狗狗要打狂犬疫苗', '我家的狗丢了']) {
      const result = understand(text);
      expect(result.unmet).toBe(true);
      for (const m of result.matches) expect(kindsOf(m.serviceId).has('ANIMAL')).toBe(true);
    }
  });

  it('answers a person bitten by a dog with the vaccination for people', () => {
    const result = understand('被狗咬了要打狂犬疫苗');
    expect(result.unmet).toBe(false);
    expect(kindsOf(result.matches[0].serviceId).has('PERSON')).toBe(true);
  });

  it('keeps vehicle and business requests to services for vehicles and businesses', () => {
    for (const [text, kind] of [
      ['车辆年检', 'THING'],
      ['开公司要注册营业执照', 'ORGANISATION'],
    ] as const) {
      const result = understand(text);
      expect(result.unmet).toBe(false);
      for (const m of result.matches) expect(kindsOf(m.serviceId).has(kind)).toBe(true);
    }
  });
});

describe('RequestUnderstander: subject traps', () => {
  const residents = (serviceId: string) => !model.serviceAudiences(serviceId).has('business');

  it("never answers a business's request with a service for residents, and names no resident service", () => {
    for (const text of [
      '饭店后厨要开商用燃气账户',
      '公司的商标想注册一下',
      '工厂要接高压三相电',
      '公司想给全体员工买团体意外险',
    ]) {
      const result = understand(text);
      expect(result.unmet).toBe(true);
      for (const m of result.matches) expect(residents(m.serviceId)).toBe(false);
    }
  });

  it("never answers a resident's own affairs with a service for businesses only", () => {
    for (const text of ['公司天天让我加班不给钱，还把我辞了', '我想给自己交医保', '身份证丢了']) {
      const result = understand(text);
      expect(result.unmet).toBe(false);
      expect(kindsOf(result.matches[0].serviceId).has('PERSON')).toBe(true);
    }
  });

  it('reads spoken and regional forms as the standard words', () => {
    expect(understand('身份证搞掉了').matches[0].serviceId).toBe('HR-0006');
    expect(understand('老者七十多了想去住养老院，啷个申请').matches[0].serviceId).toBe('EL-0005');
    expect(understand('屋头娃儿要打预防针').needs[0].need.code).toBe('child-vaccination');
  });
});

describe('RequestUnderstander: learned associations', () => {
  // A phrasing neither the needs data nor the synonyms hold, learned to lead to the library card.
  const text = '想办个看闲书的本本';
  const learnedFor = (strength: number) =>
    indexAssociations(termsOf(text).map((term) => ({ term, serviceId: 'CS-0001', strength })));

  it("blends what the city's own requests learned as a third piece of evidence", () => {
    const without = understand(text).matches.find((m) => m.serviceId === 'CS-0001');
    const result = understander.understand(text, { limit: 5, learned: learnedFor(0.6) });
    const learned = result.matches.find((m) => m.serviceId === 'CS-0001')!;
    expect(learned.learnedScore).toBeGreaterThan(0);
    expect(learned.score).toBeGreaterThan(without?.score ?? 0);
    expect(learned.needScore + learned.lexicalScore + learned.learnedScore).toBeCloseTo(learned.score, 10);
    expect(result.unmet).toBe(false);
  });

  it('proposes nothing from associations weaker than the least learned score', () => {
    const result = understander.understand(text, { limit: 5, learned: learnedFor(MIN_LEARNED_SCORE / 2) });
    for (const m of result.matches) expect(m.learnedScore).toBe(0);
  });
});

describe('RequestUnderstander: the unmet rule', () => {
  it('is unmet, and lists no such service, when one generic word or character is all a request shares with it', () => {
    for (const [text, service] of [
      ['帮我找个对象', 'VA-0005'],
      ['想给孩子报个钢琴班', 'CS-0008'],
      ['服务中心在哪', 'HE-0001'],
    ] as const) {
      const result = understand(text);
      expect({ text, unmet: result.unmet }).toEqual({ text, unmet: true });
      expect(result.matches.map((m) => m.serviceId)).not.toContain(service);
    }
  });

  it('still meets short requests that name what they ask for, and a need read from a rare character', () => {
    for (const [text, service] of [
      ['补办身份证', 'HR-0006'],
      ['社保卡', 'SS-0009'],
      ['公积金提取', 'HF-0009'],
      ['想给孩子报个篮球班', 'CS-0008'],
      ['孩子打疫苗', 'HE-0002'],
      ['开个证明', 'HR-0010'],
      ['前几天下暴雨河水涨起来把我们家一楼淹了', 'NB-0009'],
    ] as const) {
      const result = understand(text);
      expect({ text, unmet: result.unmet, first: result.matches[0]?.serviceId }).toEqual({
        text,
        unmet: false,
        first: service,
      });
    }
    // A gap is still a gap (路灯: no published service meets it).
    expect(understand('路灯坏了').gap?.code).toBe('streetlight-repair');
  });

  it('is unmet, naming the gap, when the need recognised has no published service', () => {
    const result = understand('电动自行车上牌去哪里办');
    expect(result.unmet).toBe(true);
    expect(result.gap?.code).toBe('e-bike-registration');
    expect(result.matches).toEqual([]);
    expect(signalVerdict(result)).toMatchObject({
      unmet: true,
      needCode: 'e-bike-registration',
      matchedServiceId: null,
    });
  });

  it('is unmet without a confident need only when the words match no service well enough', () => {
    const weak = new RequestUnderstander(matcher, recogniser, model, new Map(services.map((s) => [s.code, s.code])), {
      ...UNDERSTANDING_SETTINGS,
      needConfidence: 1.01,
      ownNeedConfidence: 1.01,
    });
    expect(weak.understand('社保卡挂失').unmet).toBe(false);
    expect(weak.understand('火星移民').unmet).toBe(true);
  });

  it("is decided on the needs' own evidence: the classifier reorders, it does not make a near topic met", () => {
    // A near topic no need covers (the postgraduate exam, with the gap need for national exams
    // left out of the data): the classifier carries 考试 and 报名 to the college-entrance exam,
    // confident only with the classifier's part.
    const text = '研究生考试报名入口';
    const data = readNeedsData();
    const lacking = buildNeedsModel({ ...data, needs: data.needs.filter((n) => n.code !== 'national-exams') });
    const nearRecogniser = new NeedRecogniser(lacking, { servicePhrases: servicePhrasesOf(services), typos: false });
    const near = new RequestUnderstander(
      matcher,
      nearRecogniser,
      lacking,
      new Map(services.map((s) => [s.code, s.code])),
    );
    const [top] = nearRecogniser.recognise(text, { limit: 1 }).needs;
    expect(top.need.code).toBe('entrance-exam-registration');
    expect(top.confidence).toBeGreaterThanOrEqual(UNDERSTANDING_SETTINGS.needConfidence);
    expect(top.ownConfidence).toBeLessThan(UNDERSTANDING_SETTINGS.ownNeedConfidence);
    const result = near.understand(text, { limit: 5 });
    expect(result.unmet).toBe(true);
    expect(result.gap).toBeNull();
    // Its services still come first among the candidates it is shown.
    expect(result.matches[0].serviceId).toBe('ED-0006');
    const onConfidence = new RequestUnderstander(
      matcher,
      nearRecogniser,
      lacking,
      new Map(services.map((s) => [s.code, s.code])),
      {
        ...UNDERSTANDING_SETTINGS,
        decideOnOwnEvidence: false,
      },
    );
    expect(onConfidence.understand(text).unmet).toBe(false);
    // With the data as seeded, the postgraduate exam is the gap need of national exams.
    expect(understand(text).gap?.code).toBe('national-exams');
  });

  it('meets opening any shop with its licences, and flags a purchase, a restaurant and a national exam unmet', () => {
    const shop = understand('开个咖啡店需要哪些证');
    expect(shop.unmet).toBe(false);
    expect(['BZ-0001', 'BZ-0005']).toContain(shop.matches[0].serviceId);
    expect(understand('有人知道哪里能买二手 iPhone 吗').commercial).toBe('iPhone');
    expect(understand('any good hotpot place open late near Huaxi?').unmet).toBe(true);
    expect(understand('考研在哪里报名').gap?.code).toBe('national-exams');
  });

  it('flags national professional exams and national bodies as gaps: the city runs neither', () => {
    expect(understand('想考一级建造师在哪报名').gap?.code).toBe('national-exams');
    expect(understand('怎么联系驻外大使馆').gap?.code).toBe('national-bodies');
    expect(understand('想举报国家部委的领导').unmet).toBe(true);
  });

  it('lets a need whose own evidence is confident decide, met or gap, whatever the classifier adds', () => {
    for (const text of ['我爸上个月退休了，钱从哪领', '电动自行车上牌去哪里办']) {
      const [top] = recogniser.recognise(text, { limit: 1 }).needs;
      expect(top.ownConfidence).toBeGreaterThanOrEqual(UNDERSTANDING_SETTINGS.ownNeedConfidence);
    }
    expect(understand('我爸上个月退休了，钱从哪领').unmet).toBe(false);
    expect(understand('电动自行车上牌去哪里办').gap?.code).toBe('e-bike-registration');
  });

  it('is met when needs tie on their own evidence and one of them is met, whatever their names', () => {
    // Five withdrawals of the housing fund read alike; a deceased member's has no service and sorts first by code.
    const tied = recogniser
      .recognise('公积金怎么取', { limit: 5 })
      .needs.filter((n, _, all) => n.ownConfidence === all[0].ownConfidence);
    expect(tied.map((n) => n.need.code)).toContain('deceased-housing-fund');
    expect(tied.length).toBeGreaterThan(1);
    const understood = understand('公积金怎么取');
    expect(understood).toMatchObject({ unmet: false, gap: null });
    expect(understood.matches[0].serviceId).toMatch(/^HF-/);
  });

  it('makes a request met on a weak reading only with the words, judged without the classifier', () => {
    // No need decides when the own-evidence thresholds are out of reach: then only words may make it met.
    const words = new RequestUnderstander(matcher, recogniser, model, new Map(services.map((s) => [s.code, s.code])), {
      ...UNDERSTANDING_SETTINGS,
      ownNeedConfidence: 1.01,
      ownWeakNeedConfidence: 1.01,
    });
    expect(words.understand('社保卡挂失').unmet).toBe(false);
    // The words alone (0.11 for the pension claim) are not enough; the need still ranks its service first.
    const text = '老爸上个月退休了钱从哪领';
    const answered = understand(text);
    expect(answered.unmet).toBe(false);
    expect(answered.matches[0].serviceId).toBe('SS-0005');
    const onWords = words.understand(text);
    expect(onWords.unmet).toBe(true);
    expect(onWords.gap).toBeNull();
    expect(onWords.matches[0].serviceId).toBe('SS-0005');
    // Read weakly on its own evidence, the need makes it met together with those words.
    const weak = new RequestUnderstander(matcher, recogniser, model, new Map(services.map((s) => [s.code, s.code])), {
      ...UNDERSTANDING_SETTINGS,
      ownNeedConfidence: 1.01,
    });
    expect(weak.understand(text).unmet).toBe(false);
  });

  it('stores the need with a met request', () => {
    expect(signalVerdict(understand('我老公喝了酒就打我'))).toMatchObject({
      unmet: false,
      matchedServiceId: 'FC-0011',
      needCode: 'domestic-violence',
    });
  });
});

describe('topNeed', () => {
  it('recognises a text once and gives the same need again', () => {
    const recognise = jest.spyOn(recogniser, 'recognise');
    const first = understander.topNeed('我家的狗走丢了 怎么办才好');
    expect(first?.code).toBe('lost-pet');
    expect(understander.topNeed('我家的狗走丢了 怎么办才好')).toBe(first);
    expect(understander.topNeed('婚礼摄影师预约 哪家好')).toBeNull();
    expect(understander.topNeed('婚礼摄影师预约 哪家好')).toBeNull();
    expect(recognise).toHaveBeenCalledTimes(2);
    recognise.mockRestore();
  });
});

describe('RequestUnderstander: what a request says besides its topic', () => {
  it('does not read what the citizen says they do not want as what they want', () => {
    // The new card is what the words name most; the disclaimer says it is the replacement.
    expect(understand('社保卡').matches[0].serviceId).not.toBe('SS-0008');
    const replacement = understand('不是要办新的社保卡，是原来那张丢了');
    expect(replacement.unmet).toBe(false);
    expect(replacement.matches[0].serviceId).toBe('SS-0008');
    expect(replacement.matches.map((m) => m.serviceId)).not.toContain('SS-0007');
    expect(understand('不是查电费是家里突然停电了').matches[0].serviceId).toBe('UT-0009');
    // 是不是 asks, it disclaims nothing.
    expect(understand('老人坐公交是不是不要钱').matches[0].serviceId).toBe(
      understand('老人坐公交不要钱').matches[0].serviceId,
    );
  });

  it("flags a request about another city's own service as unmet, and keeps one that crosses into this city", () => {
    const shenzhen = understand('深圳地铁老人卡怎么办');
    expect(shenzhen.unmet).toBe(true);
    expect(shenzhen.elsewhere).toBe('深圳');
    expect(understand('how do I get a Chengdu residence permit').elsewhere).toBe('Chengdu');
    const transfer = understand('在深圳交了五年社保，现在回贵阳了，怎么转过来');
    expect(transfer.unmet).toBe(false);
    expect(transfer.elsewhere).toBeNull();
    expect(transfer.matches[0].serviceId).toBe('SS-0004');
    expect(understand('地铁老人卡怎么办').elsewhere).toBeNull();
  });

  it('keeps a request met when another city only says where a relative lives or where the citizen comes from', () => {
    const relative = understand('我儿子在深圳，家里老人没人照顾');
    expect(relative.elsewhere).toBeNull();
    expect(relative.unmet).toBe(false);
    expect(relative.matches[0].serviceId).toMatch(/^EL-/);
    const migrant = understand('我是四川人，在这边上班，想把社保转过来');
    expect(migrant.elsewhere).toBeNull();
    expect(migrant.unmet).toBe(false);
    expect(understand('在上海办居住证要什么材料').elsewhere).toBe('上海');
  });

  it("flags a request for a shop's good or repair as unmet, and keeps a customer's complaint met", () => {
    const fridge = understand('冰箱坏了不制冷，哪家修得便宜');
    expect(fridge.unmet).toBe(true);
    expect(fridge.commercial).toBe('冰箱');
    const complaint = understand('买的冰箱坏了商家不给修，要投诉');
    expect(complaint.commercial).toBeNull();
    expect(complaint.matches[0].serviceId).toBe('BZ-0007');
  });

  it("flags a vehicle's insurance, scrapping, modification or a hit-and-run as unmet, and keeps the city's vehicle services met", () => {
    for (const text of ['电动车想买份保险哪里便宜', '旧摩托车想报废卖掉', '车子想改装个大包围要备案吗']) {
      const reading = understand(text);
      expect(reading.unmet).toBe(true);
      expect(reading.commercial).not.toBeNull();
    }
    for (const text of [
      '肇事逃逸了怎么办',
      'hit and run on my parked car last night',
      'the van that scraped my car in the car park just drove off',
    ]) {
      expect(understand(text).gap?.code).toBe('traffic-accident');
    }
    const subsidy = understand('旧车报废了，以旧换新补贴怎么申请');
    expect(subsidy.unmet).toBe(false);
    expect(subsidy.matches[0].serviceId).toBe('TR-0011');
    expect(understand('车船税在哪里交').unmet).toBe(false);
  });

  it('reads Taiwan words for the metro and medical insurance (捷運, 健保) as the city says them', () => {
    const metro = understand('老人搭捷運免費嗎');
    expect(metro.needs[0].need.code).toBe('elderly-transit');
    expect(metro.matches[0].serviceId).toBe('TR-0003');
    expect(understand('健保卡丟了怎麼補').needs[0].need.code).toBe('social-security-card-lost');
  });

  it('raises the services of a district the request names, in Chinese or English', () => {
    const codes = (text: string) => understand(text).matches.map((m) => m.serviceId);
    expect(codes('book a village bus').slice(0, 3)).not.toContain('TR-0012');
    const inKaiyang = codes('book a village bus in Kaiyang');
    expect(inKaiyang.slice(0, 3)).toContain('TR-0012');
    expect(inKaiyang.indexOf('TR-0012')).toBeLessThan(inKaiyang.indexOf('TR-0007'));
    // A district given with the request decides alone.
    const given = understander.understand('book a village bus in Kaiyang', { limit: 5, districtCode: '520102' });
    expect(given.matches.map((m) => m.serviceId)).not.toContain('TR-0012');
  });

  it('lists no service reached by single characters alone when a better one is found', () => {
    const codes = understand('老年证怎么办理').matches.map((m) => m.serviceId);
    expect(codes[0]).toBe('EL-0002');
    // 证 alone reaches the disability certificate and the library card.
    expect(codes).not.toContain('DS-0001');
    expect(codes).not.toContain('CS-0001');
    for (const m of understand('老年证怎么办理').matches) {
      expect(m.needScore > 0 || m.matchedTerms.some((t) => [...t].length > 1)).toBe(true);
    }
  });

  it("orders a need's services by the phrase that recognised it", () => {
    // Maternity benefits are the allowance (MI-0008) and the medical costs (MI-0009): check-ups are costs.
    const codes = understand('老婆怀孕了，产检花的钱能报吗').matches.map((m) => m.serviceId);
    expect(codes[0]).toBe('MI-0009');
  });

  it("answers an older relative living alone with older people's services", () => {
    const [best] = understand('我爸年纪大了一个人住没人管').matches;
    expect(best.serviceId).toMatch(/^EL-/);
  });

  it('reads a district named in a request as where it is, not as the need of a district service', () => {
    const text = '我们从毕节来，在白云区租房打工，孩子想接过来在这边读书，要准备什么';
    expect(understand(text).matches[0].serviceId).toBe('ED-0003');
  });

  it('reads words typed in pinyin, initials or whole, as the words they spell', () => {
    expect(understand('sbk丢了怎么补').matches[0].serviceId).toBe('SS-0008');
    expect(understand('gjj余额怎么查').matches[0].serviceId).toBe('HF-0014');
    expect(understand('shebaoka丢了').matches[0].serviceId).toBe('SS-0008');
    // A text typed wholly in pinyin is read too; an English one is not.
    expect(understand('shebaoka').matches[0].serviceId).toMatch(/^SS-/);
    expect(understand('gongjijin tiqu').matches[0].serviceId).toMatch(/^HF-/);
    expect(understand('gongjijin tiqu').unmet).toBe(false);
  });

  it('answers an older person with nobody to care for them after hospital with home care, not a copy of the records', () => {
    for (const text of ['老人摔倒了骨折住院，出院后没人照顾', '我妈摔断了腿，出院以后家里没人照顾她']) {
      expect([text, understand(text).matches[0].serviceId]).toEqual([text, expect.stringMatching(/^EL-/)]);
    }
  });

  it("answers an expired identity card written 身分證 (Taiwan's and Hong Kong's spelling) with its renewal", () => {
    for (const text of ['身分證過期', '身分证过期了']) {
      const best = understand(text).matches[0].serviceId;
      expect([text, best]).toEqual([text, understand('身份证过期了').matches[0].serviceId]);
      expect([text, best]).not.toEqual([text, 'HR-0006']);
    }
  });

  it('answers a farm animal with no service for people', () => {
    const pig = understand('家里养的猪病了不吃食，找谁看');
    expect(pig.unmet).toBe(true);
    expect(pig.matches.filter((m) => kindsOf(m.serviceId).has('PERSON'))).toEqual([]);
    // The vaccination services are for people: a sheep's vaccine is unmet.
    const sheep = understand('村里的羊要打疫苗去哪里打');
    expect(sheep.unmet).toBe(true);
    expect(sheep.matches.map((m) => m.serviceId)).not.toContain('HE-0003');
  });
});

describe('RequestUnderstander: what carries no meaning, and what decides', () => {
  it('reads no meaning in markup or an injected statement, and reads what is left', () => {
    for (const text of [
      "'; DROP TABLE signals; --",
      '<img src=x onerror=alert(document.domain)>',
      '1" OR "1"="1',
      '${7*7}',
    ]) {
      const result = understand(text);
      expect(result.unmet).toBe(true);
      expect(result.needs).toEqual([]);
      expect(result.matches).toEqual([]);
    }
    // Nor a statement whose only other word is one that means nothing alone.
    expect(understand('SELECT name FROM citizen WHERE id = 1').matches).toEqual([]);
    const left = understand('<p>SELECT * FROM t; 我想申请公租房</p>');
    expect(left.unmet).toBe(false);
    expect(left.matches[0].serviceId).toBe('PR-0006');
  });

  it('does not read an English word cut from its term as the term', () => {
    for (const text of ['citizens', 'a test', 'senior?']) {
      const result = understand(text);
      expect(result.unmet).toBe(true);
      expect(result.matches).toEqual([]);
    }
    expect(understand('my mother is a senior citizen and wants the card').matches[0].serviceId).toBe('EL-0002');
    expect(understand('where can I take a fitness test').matches[0].serviceId).toBe('CS-0004');
    expect(understand('I failed my driving test, can I retake it').matches[0].serviceId).toBe('TL-0001');
  });

  it('understands nothing in a request that only tries the input', () => {
    for (const text of ['测试', '就试一下而已', 'testing 123', '喂，在吗']) {
      const result = understand(text);
      expect(result.unmet).toBe(true);
      expect(result.matches).toEqual([]);
    }
    expect(understand('国民体质测试在哪预约').matches[0].serviceId).toBe('CS-0004');
  });

  it('understands nothing in a plea, a greeting or thanks alone, and reads what a plea asks for', () => {
    for (const text of ['help me', 'I need help', 'please help!', '帮帮我', '救命啊', '谢谢你', '在吗？有人吗']) {
      expect(understand(text)).toMatchObject({ unmet: true, matches: [], needs: [] });
    }
    expect(understand('help with my rent').matches[0].serviceId).toBe('HF-0004');
    expect(understand('帮帮我，我想办低保').unmet).toBe(false);
    expect(understand('12345').matches[0].serviceId).toBe('NB-0001');
  });

  it("reads what was lost as well as the loss: a lost passport is the passport office's", () => {
    for (const text of ['I lost my passport', 'lost my passport in Guiyang, what should I do', '护照丢了怎么办']) {
      expect(understand(text).matches[0].serviceId).toBe('HR-0015');
    }
    expect(understand('I lost my ID card').matches[0].serviceId).toBe('HR-0006');
  });

  it('lists no service below the floor, met or unmet', () => {
    for (const text of [
      '公园草坪能办婚礼吗',
      '我妈走丢了，有老年痴呆',
      '房东突然要我下周搬走，押金也不退',
      '身份证丢了',
    ]) {
      for (const m of understand(text).matches) expect(m.score).toBeGreaterThanOrEqual(LISTED_FLOOR);
    }
    expect(understand('公园草坪能办婚礼吗')).toMatchObject({ unmet: true, matches: [] });
    expect(understand('身份证丢了').matches.length).toBeGreaterThan(0);
  });

  it('decides met on the services it lists, never below the threshold', () => {
    for (const text of ['丢', '1号', 'x2', '到了', '井盖丢了', '场地', '想在江边草坪办个露天派对，场地去哪申请']) {
      const result = understand(text);
      if (!result.unmet) expect(result.matches[0].score).toBeGreaterThanOrEqual(LEXICAL_UNMET_THRESHOLD);
    }
    // A weak need's service listed while what decided was a service reached by one character, left out.
    const listed = understand('3号线=4');
    if (!listed.unmet) expect(listed.matches[0].score).toBeGreaterThanOrEqual(LEXICAL_UNMET_THRESHOLD);
  });

  it('reads buying stocks, funds, crypto or currencies as a broker’s, not the city’s', () => {
    for (const text of ['买点股票', '比特币在哪里买', 'how do I buy bitcoin', '想炒外汇怎么开户']) {
      const result = understand(text);
      expect(result.unmet).toBe(true);
      expect(result.commercial).not.toBeNull();
    }
    expect(understand('炒股被人骗了十万，怎么报警').commercial).toBeNull();
  });

  it('reads a damaged road facility as a need no service meets, as broken street lights', () => {
    for (const text of ['人行道上的井盖不见了', '路口的红绿灯不亮了', '马路中间有个坑']) {
      const result = understand(text);
      expect(result.unmet).toBe(true);
      expect(result.gap?.code).toBe('road-facility-damage');
    }
    for (const text of [
      'the traffic lights at the crossing are broken',
      'someone stole the manhole cover on our road',
    ]) {
      expect(understand(text).gap?.code).toBe('road-facility-damage');
    }
  });

  it('does not let a need no service meets, told only as what happened, make a gap of what is asked', () => {
    const amputee = understand('我被车撞了腿断了，想问问能不能办残疾证');
    expect(amputee.unmet).toBe(false);
    expect(amputee.matches[0].serviceId).toBe('DS-0001');
    const blind = understand('出了车祸，眼睛看不见了，残疾证怎么申请');
    expect(blind.unmet).toBe(false);
    expect(blind.matches[0].serviceId).toBe('DS-0001');
    const fall = understand('路灯坏了，我摔了一跤骨折住院，医药费能报销吗');
    expect(fall.unmet).toBe(false);
    expect(fall.matches[0].serviceId).toBe('MI-0007');
    // The gap asked about itself stays a gap.
    expect(understand('我家狗丢了，能帮我找吗').gap?.code).toBe('lost-pet');
    expect(understand('路灯坏了一个月了，找谁修？').unmet).toBe(true);
  });

  it('ranks the reimbursement of a hospital stay above the copy of its records', () => {
    expect(understand('我爸住院了要报销').matches[0].serviceId).toBe('MI-0007');
    expect(understand('住院花了八千，回来能报多少').matches[0].serviceId).toBe('MI-0007');
    expect(understand('报销要用的病历去哪复印').matches[0].serviceId).toBe('HE-0016');
  });
});
