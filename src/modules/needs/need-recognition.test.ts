import { buildSynonymGroups } from '../../text/synonyms';
import { readCatalogueSeed } from '../../../seeds/catalogue';
import { MIN_NEED_CONFIDENCE, NeedRecogniser, servicePhrasesOf, smallNumber, UnitReader } from './need-recognition';
import { buildNeedsModel, seededNeedsModel, type NeedsData } from './needs-data';
import { normalizeText } from '../../text/normalize';

const model = seededNeedsModel();
const recogniser = new NeedRecogniser(model);
const needsOf = (text: string) => recogniser.recognise(text).needs.map((n) => n.need.code);
const top = (text: string) => recogniser.recognise(text).needs[0];

describe('NeedRecogniser on the seeded needs model', () => {
  it("recognises situations described in a citizen's own words, with the phrase that triggered them", () => {
    const pension = top('我爸上个月退休了，钱从哪领');
    expect(pension.need.code).toBe('pension-claim');
    expect(pension.need.services).toContain('SS-0005');
    expect(pension.need.triggers).toContain(pension.phrase);
    expect(pension.excerpt).toContain('退休');
    expect(pension.confidence).toBeGreaterThan(0.8);

    expect(top('和房东闹翻了，合同没到期就赶我走').need.code).toBe('tenancy-dispute');
    const violence = top('我老公喝了酒就打我，我该怎么办');
    expect(violence.need.code).toBe('domestic-violence');
    expect(violence.need.services).toContain('FC-0011');
    expect(violence.excerpt).toBe('老公喝了酒就打');
    expect(top('楼上天天漏水到我家').need.code).toBe('mediation');
    expect(top('老板拖了三个月工资不给').need.code).toBe('unpaid-wages');
  });

  it('reads traditional script and full-width letters as their simplified, half-width forms', () => {
    const pension = top('我媽上個月退休了，養老金怎麼領');
    expect(pension.need.code).toBe('pension-claim');
    // The excerpt is the citizen's own words, in their script.
    expect(pension.excerpt).toMatch(/退休|養老金/);
    expect(pension.excerpt).not.toMatch(/妈|养老金/);
    expect(top('ＭＹ ＣＡＴ ＩＳ ＭＩＳＳＩＮＧ').need.code).toBe('lost-pet');
    expect(needsOf('老公打我')).toEqual(needsOf('老公打我'.normalize('NFKC')));
  });

  it('folds synonyms on both sides: 小孩 finds a trigger written with 孩子, license one written with licence', () => {
    expect(top('小孩明年上小学').need.code).toBe('primary-school-admission');
    expect(top("my driver's license expired").need.code).toBe('driving-licence-renewal');
  });

  it('matches whole words only: "cat" inside certificate or education is not a pet', () => {
    const recognition = recogniser.recognise('vocational training certificate for education');
    expect(recognition.subjects).toEqual([]);
    expect(recognition.needs.map((n) => n.need.code)).toContain('skills-training');
    for (const n of recognition.needs) expect(seededNeedsModel().audienceKinds(n.need).has('ANIMAL')).toBe(false);
  });

  it('never answers a request about a pet with a need of people, nor the other way round', () => {
    const petFuneral = recogniser.recognise('我家猫死了想火化');
    expect(petFuneral.subjects).toEqual(['ANIMAL']);
    expect(petFuneral.needs.map((n) => n.need.code)).toEqual(['pet-cremation']);
    expect(petFuneral.needs[0].need.services).toEqual([]);

    const fatherFuneral = needsOf('我爸去世了要火化');
    expect(fatherFuneral[0]).toBe('funeral-booking');
    expect(fatherFuneral).toEqual(expect.arrayContaining(['deceased-hukou', 'survivor-benefits']));
    expect(fatherFuneral).not.toContain('pet-cremation');

    expect(needsOf('给狗打狂犬疫苗在哪里')).toEqual(['pet-vaccination']);
    expect(needsOf('我的狗狗生病了不吃东西')).toEqual(['pet-medical']);
  });

  it("tells an employer's need from an employee's, and a vehicle's from its owner's, by audience", () => {
    const model = seededNeedsModel();
    const employer = top('我们公司想给员工交社保');
    expect(employer.need.code).toBe('employer-social-insurance');
    expect(model.audienceKinds(employer.need)).toEqual(new Set(['ORGANISATION']));
    const employee = top('公司不给我交社保');
    expect(employee.need.code).toBe('labour-dispute');
    expect(model.audienceKinds(employee.need)).toEqual(new Set(['PERSON']));
    expect(top('没有单位我自己怎么交社保').need.code).toBe('flexible-social-insurance');
    expect(model.audienceKinds(top('家里的车要年检了').need)).toEqual(new Set(['THING']));
  });

  it("treats an animal a person's need explains as the cause: a dog bite is a person's vaccination", () => {
    const bite = recogniser.recognise('被狗咬了要打狂犬疫苗');
    expect(bite.subjects).toEqual([]);
    expect(bite.needs.map((n) => n.need.code)).toEqual(['adult-vaccination']);
    expect(needsOf('被邻居家的狗咬了一口')).toEqual(['adult-vaccination']);
    expect(needsOf('I was bitten by a dog yesterday')).toEqual(['adult-vaccination']);

    const strayDog = recogniser.recognise('小区里狗咬人了谁管');
    expect(strayDog.subjects).toEqual(['ANIMAL']);
    expect(strayDog.needs[0].need.code).toBe('stray-and-nuisance-animals');
  });

  it('reads a compound word built on an animal as about an animal, whole words only in English', () => {
    expect(recogniser.recognise('养狗要登记吗').needs[0].need.code).toBe('pet-registration');
    expect(recogniser.recognise('附近有没有宠物医院').needs[0].need.code).toBe('pet-medical');
    expect(recogniser.recognise('熊猫血可以献血吗').subjects).toEqual([]);
    expect(recogniser.recognise('catering licence').subjects).toEqual([]);
  });

  it('reads farm animals as animals: no need of people answers a sick pig, unless the need explains the animal', () => {
    const cattle = recogniser.recognise('村里的牛要打口蹄疫疫苗');
    expect(cattle.subjects).toEqual(['ANIMAL']);
    expect(cattle.needs.map((n) => n.need.code)).not.toContain('adult-vaccination');
    expect(cattle.needs.map((n) => n.need.code)).not.toContain('child-vaccination');
    expect(recogniser.recognise('养鸡场发了鸡瘟').subjects).toEqual(['ANIMAL']);
    expect(recogniser.recognise('my pigs are sick, where is a vet').subjects).toEqual(['ANIMAL']);
    // A farmer's own need that names the animal is the person's; food and fraud are no animals.
    expect(top('想学养牛，哪里有免费培训').need.code).toBe('farmer-training');
    expect(recogniser.recognise('超市买的牛奶过期了').subjects).toEqual([]);
    expect(recogniser.recognise('遇到杀猪盘被骗了钱').subjects).toEqual([]);
  });

  it("reads an animal named in passing as no subject: a pigsty in a flood, a pig farm's sewage", () => {
    const flood = recogniser.recognise('昨晚暴雨，后山滑坡把我家的猪圈和厨房冲垮了，房子也裂了不敢住');
    expect(flood.subjects).toEqual([]);
    expect(flood.needs[0].need.code).toBe('disaster-relief');
    expect(recogniser.recognise('养猪场的污水直排到河里，臭得很').needs[0].need.code).toBe('pollution');
    // A need for animals read surely keeps the animal the subject.
    expect(recogniser.recognise('家里的猪圈里猪病了，哪里有兽医').subjects).toEqual(['ANIMAL']);
  });

  it('reads a grandparent, or a parent whose age is given, as an older person, and then not as a child', () => {
    const codes = (text: string) => recogniser.recognise(text).needs.map((n) => n.need.code);
    const alone = codes('我爸年纪大了一个人住没人管');
    expect(alone[0]).not.toBe('public-welfare-job');
    expect(model.needs.find((n) => n.code === alone[0])?.audiences).toContain('older-person');
    // A grandparent cared for in bed is no child whose parent is bedridden.
    expect(codes('我奶奶瘫在床上好几年了，我一个人照顾她')[0]).not.toBe('unsupported-child');
    // Age alone, of the one asking, is still a job seeker's.
    expect(codes('年纪大了找工作没人要')[0]).toBe('public-welfare-job');
  });

  it('reads opening any shop as opening a shop, and a named serious illness as a serious illness', () => {
    // No phrase names a coffee shop; 开个 … 店 is opening a shop whatever it sells.
    expect(['sole-proprietor-registration', 'food-licence']).toContain(needsOf('开个咖啡店需要哪些证')[0]);
    expect(['sole-proprietor-registration', 'food-licence']).toContain(needsOf('开个 coffee shop 需要哪些 license')[0]);
    expect(needsOf('开车去饭店吃饭')).not.toContain('sole-proprietor-registration');
    // A shop opened downstairs or next door is someone else's.
    expect(needsOf('楼下新开了家烧烤店，油烟太大了')).not.toContain('sole-proprietor-registration');
    // The needs' phrases say 大病; a citizen names the illness (肺癌) and its treatment (化疗).
    expect(needsOf('婆婆查出肺癌，手术和化疗花光了钱，拿不出钱了想申请救助')[0]).toBe('medical-assistance');
  });

  it('reads the years of a pension contribution given in numbers against the least years a pension is paid after', () => {
    expect([13, 13, 8, 20, 10, 2]).toEqual(['13', '十三', '八', '二十', '十', '两'].map(smallNumber));
    expect(smallNumber('十一二')).toBeNaN();
    // Fewer than 15 years, with the pension or retirement spoken of: the shortfall, in figures or numerals.
    expect(needsOf('养老保险才缴了9年，马上到退休年龄了')[0]).toBe('pension-contribution-shortfall');
    expect(needsOf('快退休了，社保只交了十一年，差的怎么办')[0]).toBe('pension-contribution-shortfall');
    // Years enough: claiming the pension comes first.
    expect(needsOf('社保交了25年，下个月退休，养老金怎么领')[0]).toBe('pension-claim');
    // Years of another insurance, with no pension spoken of, are no shortfall.
    expect(needsOf('交了13年医保')).not.toContain('pension-contribution-shortfall');
  });

  it('reads a disability described in everyday words as a disabled person', () => {
    expect(needsOf('耳朵听不见了，想找份工作')[0]).toBe('disabled-employment');
    expect(model.needs.find((n) => n.code === needsOf('腿截肢以后出门很难')[0])?.audiences).toContain(
      'disabled-person',
    );
  });

  it('reads everyday paraphrases as the words of the needs: asking for pay, marrying, learning to drive, being beaten', () => {
    expect(top('年底了去讨工钱').need.code).toBe('unpaid-wages');
    expect(top('我们想成个家，去哪登个记').need.code).toBe('marriage-registration');
    expect(top('想学会开车去哪报名').need.code).toBe('driving-licence');
    expect(top('在家里经常挨打').need.code).toBe('domestic-violence');
  });

  it('reads a voice-input homophone as the word the phrases write beside its neighbour (玉儿补贴: 育儿补贴)', () => {
    expect(top('一岁宝宝的玉儿补贴怎么申请').need.code).toBe('childcare-allowance');
  });

  it('reads an input-method typo as the word it sounds like, only where the typed words are unlikely', () => {
    const lost = top('社宝卡丢了');
    expect(lost.need.code).toBe('social-security-card-lost');
    expect(lost.excerpt).toBe('社宝卡丢');
    expect(top('身份正丢了').need.code).toBe('id-card-lost');
    expect(top('我想办居主证').need.code).toBe('residence-permit');
    expect(needsOf('谁管这事')[0]).toBe('city-hotline');
    expect(needsOf('厨余垃圾怎么分')).not.toContain('ex-offender-support');
    const withoutTypos = new NeedRecogniser(seededNeedsModel(), { typos: false, gramShare: 0 });
    expect(withoutTypos.recognise('社宝卡丢了').needs[0]?.need.code).not.toBe('social-security-card-lost');
  });

  it('adds the character pairs a phrasing shares with a need to its words: the same need, more surely', () => {
    const wordsOnly = new NeedRecogniser(seededNeedsModel(), { gramShare: 0 });
    const school = '娃儿读书的学位';
    const withPairs = recogniser.recognise(school, { minConfidence: 0 }).needs[0];
    const alone = wordsOnly.recognise(school, { minConfidence: 0 }).needs[0];
    expect(withPairs.need.code).toBe(alone.need.code);
    expect(withPairs.confidence).toBeGreaterThan(alone.confidence);
  });

  it("adds the classifier's reading of all a need's phrases together: the same need, more surely", () => {
    const withoutClassifier = new NeedRecogniser(seededNeedsModel(), { classifierShare: 0 });
    const text = '老爸上个月退休了钱从哪领';
    const withIt = recogniser.recognise(text, { minConfidence: 0 }).needs[0];
    const alone = withoutClassifier.recognise(text, { minConfidence: 0 }).needs[0];
    expect(withIt.need.code).toBe(alone.need.code);
    expect(withIt.confidence).toBeGreaterThan(alone.confidence);
    // Its own evidence, which decides met or unmet, is the confidence the need has without the classifier.
    expect(withIt.ownConfidence).toBe(alone.confidence);
    expect(alone.ownConfidence).toBe(alone.confidence);
    // Small talk is mostly words no need uses: the classifier adds little to it.
    for (const chat of ['今天天气怎么样', '怎么做红烧肉']) {
      expect(recogniser.recognise(chat).needs).toEqual(withoutClassifier.recognise(chat).needs);
    }
  });

  it('recognises needs the catalogue does not meet, so that they can be counted as unmet', () => {
    for (const [text, code] of [
      ['电动车怎么上牌照', 'e-bike-registration'],
      ['无人机要不要登记', 'drone-registration'],
      ['下水道堵了没人管', 'blocked-sewer'],
    ]) {
      const need = top(text);
      expect(need.need.code).toBe(code);
      expect(need.need.services).toEqual([]);
      expect(need.need.departments.length).toBeGreaterThan(0);
    }
  });

  it("takes no district's name among a service's phrases: a district says where, not what", () => {
    const phrases = servicePhrasesOf([
      { code: 'LA-0008', title: '白云区矛盾纠纷一站式调处', tags: ['调解', '白云区'] },
    ]);
    expect(phrases.get('LA-0008')).toEqual(['白云区矛盾纠纷一站式调处', '调解']);
  });

  it("with the titles and tags of the published services, also recognises a need by its services' words", () => {
    const published = servicePhrasesOf(readCatalogueSeed().services);
    const withServices = new NeedRecogniser(seededNeedsModel(), { servicePhrases: published });
    const resident = withServices.recognise('我想领养老金').needs.find((n) => n.need.code === 'resident-pension-claim');
    expect(resident?.source).toBe('SERVICE');
    // Without the services' words, only the needs' own phrases speak for it.
    const own = recogniser.recognise('我想领养老金').needs.find((n) => n.need.code === 'resident-pension-claim');
    expect(own?.source ?? 'TRIGGER').not.toBe('SERVICE');

    const retired = new Map(published);
    retired.delete('SS-0002');
    const withoutIt = new NeedRecogniser(seededNeedsModel(), { servicePhrases: retired }).recognise('我想领养老金');
    const unpublished = withoutIt.needs.find((n) => n.need.code === 'resident-pension-claim');
    expect(unpublished?.source ?? 'TRIGGER').not.toBe('SERVICE');
  });

  it('recognises nothing in text that expresses no need, and keeps only confident needs', () => {
    expect(recogniser.recognise('今天天气不错').needs).toEqual([]);
    expect(recogniser.recognise('').needs).toEqual([]);
    for (const n of recogniser.recognise('孩子明年上小学要准备什么').needs) {
      expect(n.confidence).toBeGreaterThanOrEqual(MIN_NEED_CONFIDENCE);
      expect(n.confidence).toBeLessThanOrEqual(1);
    }
    const all = recogniser.recognise('孩子明年上小学要准备什么', { minConfidence: 0 }).needs;
    expect(all.length).toBe(5);
    expect(all.map((n) => n.confidence)).toEqual([...all.map((n) => n.confidence)].sort((a, b) => b - a));
  });
});

describe('NeedRecogniser on a small model', () => {
  const need = (code: string, audiences: string[], triggers: string[]) => ({
    code,
    name: code,
    nameZhHant: code,
    nameEn: code,
    audiences,
    lifeEvents: ['e'],
    services: [],
    departments: ['D'],
    triggers,
  });
  const data = {
    audiences: [
      { code: 'self', name: '本人', nameZhHant: '本人', nameEn: 'Self', kind: 'PERSON' },
      { code: 'pet', name: '宠物', nameZhHant: '寵物', nameEn: 'Pet', kind: 'ANIMAL' },
    ],
    lifeEvents: [{ code: 'e', name: '事', nameZhHant: '事', nameEn: 'Event', summary: '事' }],
    needs: [
      need('water', ['self'], ['水管爆了']),
      need('hotline', ['self'], ['谁管这事']),
      need('bath', ['pet'], ['给猫洗澡']),
    ],
  } as NeedsData;
  const small = new NeedRecogniser(buildNeedsModel(data));

  it('weighs a trigger by its words found: a whole trigger is recognised, one of its words alone is not', () => {
    expect(small.recognise('家里水管爆了').needs.map((n) => n.need.code)).toEqual(['water']);
    expect(small.recognise('谁管这事').needs.map((n) => n.need.code)).toEqual(['hotline']);
    expect(small.recognise('这事', { minConfidence: 0.6 }).needs).toEqual([]);
  });

  it('recognises by character pairs a phrasing whose words match no phrase', () => {
    const cards = {
      ...data,
      needs: [...data.needs, need('card', ['self'], ['社保卡丢失', '医保卡丢失补办'])],
    } as NeedsData;
    const first = (options: { gramShare?: number; classifierShare?: number }, text: string) =>
      new NeedRecogniser(buildNeedsModel(cards), { typos: false, ...options }).recognise(text, { minConfidence: 0 })
        .needs[0];
    // No word of 社宝卡丢了 is a word of the card's phrases (社保卡, 丢失), but 卡丢 is a pair of both.
    expect(first({ gramShare: 0, classifierShare: 0 }, '社宝卡丢了')).toBeUndefined();
    // The classifier reads the same pairs (with all the card's phrases), a little.
    expect(first({ gramShare: 0 }, '社宝卡丢了').need.code).toBe('card');
    const lost = first({}, '社宝卡丢了');
    expect(lost.need.code).toBe('card');
    expect(lost.excerpt).toBe('卡丢');
    expect(lost.words).toEqual(['卡丢']);
  });

  it('uses the synonym groups it is given', () => {
    const kitten = new NeedRecogniser(buildNeedsModel(data), { synonyms: buildSynonymGroups([['猫', '小猫咪']]) });
    expect(kitten.recognise('给小猫咪洗澡').needs.map((n) => n.need.code)).toEqual(['bath']);
    expect(kitten.recognise('给小猫咪洗澡').subjects).toEqual(['ANIMAL']);
    expect(small.recognise('给小猫咪洗澡').needs).toEqual([]);
  });
});

describe('UnitReader', () => {
  const reader = new UnitReader();
  const units = (text: string) => reader.unitsOf(normalizeText(text)).map((u) => u.unit);

  it('folds one-word and several-word synonyms into their canonical term, on whole words only', () => {
    expect(units("replacement driver's license")).toEqual(['补办', '驾照']);
    expect(units('my cat')).toEqual(['宠物']);
    expect(units('certificate of education')).toEqual(['certificate', 'education']);
    expect(units('医疗保险怎么报销')).toEqual(['医保', '报销']);
  });

  it('drops stop words and keeps where each unit is in the text', () => {
    const units = reader.unitsOf(normalizeText('请问我的公积金'));
    expect(units.map((u) => u.unit)).toEqual(['公积金']);
    expect('请问我的公积金'.slice(units[0].start, units[0].end)).toBe('公积金');
  });
});
