// The build (tsconfig.build.json) compiles seeds/ with only Node types: name jest's here.
/// <reference types="jest" />
import districts from './catalogue/districts.json';
import { AgeBand, ageBandOf } from '../src/modules/citizens/age-band';
import { CITIZEN_TAGS } from '../src/modules/citizens/citizen-tags';
import { SignalKind } from '../src/modules/signals/signal-kind';
import {
  DISTRICT_POPULATION,
  KIND_MIX,
  UNMET_NEEDS,
  allocateSignals,
  arrayLiteral,
  copyField,
  copyLine,
  createPopulation,
  createRng,
  isEligible,
  plantedPreferences,
  type CatalogueService,
  type CitizenActivity,
  type CitizenProfile,
  type PopulationOptions,
} from './population';
import { parseArgs } from './seed-cli';
import { readsAsEligible } from '../test/eval/eligibility-reading';

/** A small catalogue with every kind of eligibility rule, over the seeded categories. */
function fixtureCatalogue(): CatalogueService[] {
  type Rule = Partial<Pick<CatalogueService, 'minAge' | 'maxAge' | 'requiredTags' | 'districtCodes'>>;
  const spec: [string, string, string[], Rule[]][] = [
    [
      'gov.social-security',
      '养老保险',
      ['养老保险', '社保'],
      [{}, { minAge: 60 }, { minAge: 16 }, { requiredTags: ['retiree'] }],
    ],
    ['gov.medical-insurance', '医保', ['医保', '居民医保'], [{}, {}, { minAge: 60 }]],
    ['gov.housing-fund', '公积金', ['公积金', '提取公积金'], [{ minAge: 18 }, { minAge: 18, maxAge: 60 }]],
    ['gov.household', '户口', ['户口', '身份证'], [{}, {}, { minAge: 16 }]],
    ['gov.civil-affairs', '低保', ['低保', '救助'], [{ requiredTags: ['low-income'] }, {}]],
    ['gov.tax', '个税', ['个税', '退税'], [{ minAge: 18 }, {}]],
    ['gov.business', '营业执照', ['营业执照', '开公司'], [{ minAge: 18 }]],
    ['gov.transport-licence', '驾照', ['驾照', '年检'], [{ minAge: 18 }, { requiredTags: ['car-owner'] }]],
    ['gov.property', '不动产登记', ['房产证', '不动产'], [{ requiredTags: ['homeowner'] }, { minAge: 18 }]],
    ['gov.veterans', '退役军人优待', ['退役军人', '优待证'], [{ requiredTags: ['veteran'] }]],
    [
      'gov.agriculture',
      '农业补贴',
      ['种粮补贴', '农机补贴'],
      [
        { requiredTags: ['rural-resident'] },
        { requiredTags: ['rural-resident'], districtCodes: ['520121', '520122', '520123', '520181'] },
      ],
    ],
    ['life.health', '预约挂号', ['挂号', '体检'], [{}, {}, { maxAge: 6 }]],
    [
      'life.education',
      '入学报名',
      ['入学', '报名'],
      [{ maxAge: 18 }, { minAge: 6, maxAge: 15 }, { requiredTags: ['student'] }, {}],
    ],
    ['life.employment', '求职登记', ['找工作', '招聘'], [{ minAge: 16 }, { requiredTags: ['unemployed'] }]],
    ['life.utilities', '水电气缴费', ['电费', '燃气'], [{}, {}]],
    ['life.transport', '公交卡', ['公交卡', '地铁'], [{}, { minAge: 65 }]],
    ['life.culture-sport', '图书馆', ['借书', '体育场馆'], [{}, { districtCodes: ['520111'] }]],
    ['community.elderly', '养老服务', ['养老院', '助餐'], [{ minAge: 60 }, { minAge: 80 }, {}]],
    ['community.disability', '残疾人证', ['残疾证', '助残'], [{ requiredTags: ['disabled'] }]],
    [
      'community.family-child',
      '托育',
      ['托育', '婴幼儿'],
      [{ requiredTags: ['parent-of-young-child'] }, {}, { requiredTags: ['expectant-parent'] }],
    ],
    ['community.neighbourhood', '物业纠纷', ['物业', '噪音'], [{}, { districtCodes: ['520102'] }]],
    ['community.legal-aid', '法律援助', ['法律援助', '调解'], [{}]],
  ];
  const services: CatalogueService[] = [];
  for (const [category, title, tags, rules] of spec) {
    rules.forEach((rule, i) => {
      const code = `${category}.${i}`;
      services.push({
        id: `00000000-0000-5000-8000-${String(services.length).padStart(12, '0')}`,
        code,
        title: `${title}${i || ''}`,
        categoryId: `cat-${category}`,
        categoryCode: category,
        departmentId: 'dep',
        minAge: rule.minAge ?? null,
        maxAge: rule.maxAge ?? null,
        requiredTags: rule.requiredTags ?? [],
        districtCodes: rule.districtCodes ?? [],
        tags,
      });
    });
  }
  return services;
}

const SERVICES = fixtureCatalogue();
const SERVICE_BY_ID = new Map(SERVICES.map((s) => [s.id, s]));
// The window (September to February) crosses a new year, when everyone's age moves on.
const NOW = new Date('2026-03-01T00:00:00Z');
const OPTIONS: PopulationOptions = { seed: 42, citizens: 3000, signals: 60_000, days: 180, now: NOW };

function collect(options: PopulationOptions): CitizenActivity[] {
  return [...createPopulation(SERVICES, options).activities()];
}

const BASE = collect(OPTIONS);
const CITIZENS = BASE.map((a) => a.citizen);
const SIGNALS = BASE.flatMap((a) => a.signals);
const CITIZEN_BY_ID = new Map(CITIZENS.map((c) => [c.id, c]));

const share = (part: number, whole: number) => part / whole;

describe('population: determinism', () => {
  it('gives the same citizens and signals for the same seed', () => {
    const again = collect(OPTIONS);
    expect(again.slice(0, 200).map((a) => a.citizen)).toEqual(CITIZENS.slice(0, 200));
    expect(again.flatMap((a) => a.signals).slice(0, 5000)).toEqual(SIGNALS.slice(0, 5000));
    expect(again.flatMap((a) => [...a.votes, ...a.ratings])).toEqual(BASE.flatMap((a) => [...a.votes, ...a.ratings]));
  });

  it('keeps the first citizens when the population grows', () => {
    const bigger = createPopulation(SERVICES, { ...OPTIONS, citizens: 3500 });
    expect(bigger.citizens.slice(0, 3000)).toEqual(CITIZENS);
  });

  it('gives another population for another seed', () => {
    const other = createPopulation(SERVICES, { ...OPTIONS, seed: 43 });
    const first = other.activities().next().value as CitizenActivity;
    expect(other.citizens[0].id).not.toBe(CITIZENS[0].id);
    expect(other.citizens.map((c) => c.districtCode)).not.toEqual(CITIZENS.map((c) => c.districtCode));
    expect(first.signals).not.toEqual(BASE[0].signals);
  });

  it('does not depend on the order the catalogue is read in', () => {
    const shuffled = [...SERVICES].reverse();
    const again = [...createPopulation(shuffled, { ...OPTIONS, citizens: 200, signals: 4000 }).activities()];
    const base = [...createPopulation(SERVICES, { ...OPTIONS, citizens: 200, signals: 4000 }).activities()];
    expect(again).toEqual(base);
  });
});

describe('population: citizens', () => {
  it('uses the district codes of the seeded catalogue, weighted by population', () => {
    expect(Object.keys(DISTRICT_POPULATION).sort()).toEqual(districts.map((d) => d.code).sort());
    const count = (code: string) => CITIZENS.filter((c) => c.districtCode === code).length;
    expect(count('520103')).toBeGreaterThan(count('520121') * 2); // 云岩区 vs 开阳县
    expect(count('520102')).toBeGreaterThan(count('520122') * 3); // 南明区 vs 息烽县
  });

  it('has a realistic age pyramid, some without birth year', () => {
    const withYear = CITIZENS.filter((c) => c.birthYear !== null);
    const bandShare = (band: AgeBand) =>
      share(withYear.filter((c) => ageBandOf(c.birthYear, NOW) === band).length, withYear.length);
    expect(bandShare(AgeBand.CHILD)).toBeCloseTo(0.18, 1);
    expect(bandShare(AgeBand.YOUTH)).toBeCloseTo(0.28, 1);
    expect(bandShare(AgeBand.ADULT)).toBeCloseTo(0.36, 1);
    expect(bandShare(AgeBand.SENIOR)).toBeCloseTo(0.18, 1);
    expect(Math.abs(share(CITIZENS.length - withYear.length, CITIZENS.length) - 0.05)).toBeLessThan(0.015);
    expect(Math.abs(share(CITIZENS.filter((c) => !c.personalization).length, CITIZENS.length) - 0.03)).toBeLessThan(
      0.012,
    );
  });

  it('gives tags at realistic, age-dependent rates', () => {
    const rate = (tag: string, group = CITIZENS) =>
      share(group.filter((c) => c.tags.includes(tag)).length, group.length);
    // Only the declared tags (src/modules/citizens/citizen-tags.json), and every one of them.
    expect(CITIZENS.every((c) => c.tags.every((t) => CITIZEN_TAGS.includes(t)))).toBe(true);
    for (const tag of CITIZEN_TAGS) expect(rate(tag)).toBeGreaterThan(0);
    expect(rate('disabled')).toBeGreaterThan(0.04);
    expect(rate('disabled')).toBeLessThan(0.08);
    expect(rate('low-income')).toBeGreaterThan(0.025);
    expect(rate('low-income')).toBeLessThan(0.06);
    expect(rate('veteran')).toBeGreaterThan(0.01);
    expect(rate('veteran')).toBeLessThan(0.03);
    const aged = (lo: number, hi: number) =>
      CITIZENS.filter(
        (c) =>
          c.birthYear !== null && NOW.getUTCFullYear() - c.birthYear >= lo && NOW.getUTCFullYear() - c.birthYear <= hi,
      );
    expect(rate('student', aged(6, 24))).toBeGreaterThan(0.5);
    expect(rate('student', aged(35, 100))).toBe(0);
    expect(rate('retiree', aged(60, 120))).toBeGreaterThan(0.7);
    expect(rate('retiree', aged(0, 49))).toBe(0);
    expect(rate('parent-of-young-child', aged(28, 38))).toBeGreaterThan(0.3);
    expect(rate('car-owner', aged(0, 17))).toBe(0);
    const rural = (codes: string[]) =>
      rate(
        'rural-resident',
        CITIZENS.filter((c) => codes.includes(c.districtCode)),
      );
    expect(rural(['520121', '520122', '520123'])).toBeGreaterThan(0.45);
    expect(rural(['520102', '520103'])).toBeLessThan(0.05);
  });

  it('declares 0–3 interests, mostly in categories the citizen prefers', () => {
    expect(CITIZENS.every((c) => c.interests.length <= 3 && new Set(c.interests).size === c.interests.length)).toBe(
      true,
    );
    expect(CITIZENS.some((c) => c.interests.length === 0)).toBe(true);
    const seniors = CITIZENS.filter((c) => ageBandOf(c.birthYear, NOW) === AgeBand.SENIOR);
    const children = CITIZENS.filter((c) => ageBandOf(c.birthYear, NOW) === AgeBand.CHILD);
    const elderlyInterest = (group: typeof CITIZENS) =>
      share(group.filter((c) => c.interests.includes('cat-community.elderly')).length, group.length);
    expect(elderlyInterest(seniors)).toBeGreaterThan(3 * elderlyInterest(children));
  });
});

describe('isEligible', () => {
  const service = (rule: Partial<CatalogueService>): CatalogueService => ({
    ...SERVICES[0],
    minAge: null,
    maxAge: null,
    requiredTags: [],
    districtCodes: [],
    ...rule,
  });
  const citizen = (profile: Partial<CitizenProfile>): CitizenProfile => ({
    id: 'c',
    districtCode: '520102',
    birthYear: 1990,
    tags: [],
    ...profile,
  });
  const at = new Date('2025-06-01T00:00:00Z');

  it('checks age against the year of the event', () => {
    expect(isEligible(citizen({ birthYear: 1965 }), service({ minAge: 60 }), at)).toBe(true);
    expect(isEligible(citizen({ birthYear: 1966 }), service({ minAge: 60 }), at)).toBe(false);
    expect(isEligible(citizen({ birthYear: 1966 }), service({ minAge: 60 }), new Date('2026-01-02T00:00:00Z'))).toBe(
      true,
    );
    expect(isEligible(citizen({ birthYear: 2007 }), service({ maxAge: 18 }), at)).toBe(true);
    expect(isEligible(citizen({ birthYear: 2006 }), service({ maxAge: 18 }), at)).toBe(false);
  });

  it('admits a citizen without birth year only to services without an age limit', () => {
    expect(isEligible(citizen({ birthYear: null }), service({}), at)).toBe(true);
    expect(isEligible(citizen({ birthYear: null }), service({ minAge: 16 }), at)).toBe(false);
    expect(isEligible(citizen({ birthYear: null }), service({ maxAge: 99 }), at)).toBe(false);
  });

  it('requires every required tag and a served district', () => {
    const both = service({ requiredTags: ['rural-resident', 'low-income'], districtCodes: ['520121'] });
    expect(isEligible(citizen({ tags: ['rural-resident', 'low-income'], districtCode: '520121' }), both, at)).toBe(
      true,
    );
    expect(isEligible(citizen({ tags: ['rural-resident'], districtCode: '520121' }), both, at)).toBe(false);
    expect(isEligible(citizen({ tags: ['rural-resident', 'low-income'], districtCode: '520102' }), both, at)).toBe(
      false,
    );
  });
});

describe('plantedPreferences', () => {
  it('is a distribution over eligible services only, the same every time', () => {
    for (const c of CITIZENS.slice(0, 300)) {
      const prefs = plantedPreferences(c, SERVICES, 42, NOW);
      const total = [...prefs.values()].reduce((a, b) => a + b, 0);
      // Every citizen is eligible for something (services without rules are open to all).
      expect(prefs.size).toBeGreaterThan(0);
      expect(total).toBeCloseTo(1, 9);
      for (const id of prefs.keys()) expect(readsAsEligible(c, SERVICE_BY_ID.get(id)!, NOW)).toBe(true);
      expect(plantedPreferences(c, SERVICES, 42, NOW)).toEqual(prefs);
    }
  });

  it('leans seniors towards elderly care and children towards education', () => {
    const categoryMass = (band: AgeBand, category: string) => {
      const group = CITIZENS.filter((c) => ageBandOf(c.birthYear, NOW) === band).slice(0, 200);
      let mass = 0;
      for (const c of group) {
        for (const [id, p] of plantedPreferences(c, SERVICES, 42, NOW))
          if (SERVICE_BY_ID.get(id)!.categoryCode === category) mass += p;
      }
      return mass / group.length;
    };
    expect(categoryMass(AgeBand.SENIOR, 'community.elderly')).toBeGreaterThan(
      3 * categoryMass(AgeBand.YOUTH, 'community.elderly'),
    );
    expect(categoryMass(AgeBand.CHILD, 'life.education')).toBeGreaterThan(
      2 * categoryMass(AgeBand.ADULT, 'life.education'),
    );
    expect(categoryMass(AgeBand.YOUTH, 'life.employment')).toBeGreaterThan(
      categoryMass(AgeBand.SENIOR, 'life.employment'),
    );
  });

  it('is personal: citizens of one segment differ in their top services', () => {
    const segment = CITIZENS.filter(
      (c) => c.districtCode === '520103' && ageBandOf(c.birthYear, NOW) === AgeBand.ADULT,
    ).slice(0, 40);
    const tops = new Set(
      segment.map((c) => [...plantedPreferences(c, SERVICES, 42, NOW)].sort((a, b) => b[1] - a[1])[0][0]),
    );
    expect(tops.size).toBeGreaterThan(5);
  });
});

describe('population: signals', () => {
  it('makes exactly the requested number of signals, with a heavy tail of activity', () => {
    expect(SIGNALS).toHaveLength(OPTIONS.signals);
    const counts = BASE.map((a) => a.signals.length).sort((a, b) => a - b);
    const median = counts[Math.floor(counts.length / 2)];
    expect(share(counts.filter((n) => n <= 3).length, counts.length)).toBeGreaterThan(0.25);
    expect(counts[counts.length - 1]).toBeGreaterThan(15 * median);
  });

  it('splits signals over citizens exactly', () => {
    const counts = allocateSignals([1, 0, 3, 0.5, 2.5], 1001, 7);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1001);
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[2] - 1001 * (3 / 7))).toBeLessThan(1);
  });

  it('follows the kind mix', () => {
    for (const [kind, expected] of KIND_MIX) {
      expect(Math.abs(share(SIGNALS.filter((s) => s.kind === kind).length, SIGNALS.length) - expected)).toBeLessThan(
        0.01,
      );
    }
  });

  it('refers only to services the citizen is eligible for at the time', () => {
    const withService = SIGNALS.filter((s) => s.serviceId);
    const violations = withService.filter(
      (s) => !isEligible(CITIZEN_BY_ID.get(s.citizenId)!, SERVICE_BY_ID.get(s.serviceId!)!, s.occurredAt),
    );
    expect(violations).toEqual([]);
    expect(withService.length).toBeGreaterThan(SIGNALS.length * 0.7);
  });

  it('carries what each kind needs, with the citizen district and age band at the time', () => {
    const problems: string[] = [];
    const check = (ok: boolean, what: string, s: object) => ok || problems.push(`${what}: ${JSON.stringify(s)}`);
    for (const s of SIGNALS) {
      const c = CITIZEN_BY_ID.get(s.citizenId)!;
      check(s.districtCode === c.districtCode, 'district', s);
      check(s.ageBand === ageBandOf(c.birthYear, s.occurredAt), 'age band', s);
      if (s.serviceId) check(s.categoryId === SERVICE_BY_ID.get(s.serviceId)!.categoryId, 'category', s);
      const hasText = (s.text ?? '').trim() !== '';
      switch (s.kind) {
        case SignalKind.VIEW:
        case SignalKind.USE:
        case SignalKind.COMPLAINT:
          check(s.serviceId !== null && s.rating === null, s.kind, s);
          break;
        case SignalKind.RATING:
          check(s.serviceId !== null && s.rating !== null && s.rating >= 1 && s.rating <= 5, s.kind, s);
          break;
        case SignalKind.SEARCH:
          check(hasText && s.serviceId === null, s.kind, s);
          break;
        case SignalKind.REQUEST:
          check(hasText && s.serviceId === null && s.categoryId !== null, s.kind, s);
          break;
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('falls in the window before the anchor, more on weekdays', () => {
    const start = NOW.getTime() - 8 * 3_600_000 - OPTIONS.days * 86_400_000;
    expect(SIGNALS.every((s) => s.occurredAt.getTime() >= start && s.occurredAt.getTime() < NOW.getTime())).toBe(true);
    const cityWeekday = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).getUTCDay();
    const weekend = SIGNALS.filter((s) => [0, 6].includes(cityWeekday(s.occurredAt))).length / 2;
    const weekday = SIGNALS.filter((s) => ![0, 6].includes(cityWeekday(s.occurredAt))).length / 5;
    expect(weekday).toBeGreaterThan(1.4 * weekend);
  });

  it('shows the seasons: education in September above March', () => {
    const year = [
      ...createPopulation(SERVICES, { ...OPTIONS, days: 365, citizens: 2000, signals: 60_000 }).activities(),
    ].flatMap((a) => a.signals);
    const education = (month: number) =>
      year.filter(
        (s) =>
          s.categoryId === 'cat-life.education' &&
          new Date(s.occurredAt.getTime() + 8 * 3_600_000).getUTCMonth() + 1 === month,
      ).length;
    const tax = (month: number) =>
      year.filter(
        (s) =>
          s.categoryId === 'cat-gov.tax' &&
          new Date(s.occurredAt.getTime() + 8 * 3_600_000).getUTCMonth() + 1 === month,
      ).length;
    expect(education(9)).toBeGreaterThan(1.6 * education(3));
    expect(tax(4)).toBeGreaterThan(1.6 * tax(9));
  });

  it('writes requests about the catalogue and some about needs it does not meet', () => {
    const requests = SIGNALS.filter((s) => s.kind === SignalKind.REQUEST);
    const unmetTexts = new Set(UNMET_NEEDS.flatMap((n) => n.texts));
    const unmet = requests.filter((r) => unmetTexts.has(r.text!)).length;
    expect(share(unmet, requests.length)).toBeGreaterThan(0.07);
    expect(share(unmet, requests.length)).toBeLessThan(0.18);
    expect(requests.some((r) => /[辦麼裡請險]/.test(r.text!))).toBe(true);
  });
});

describe('population: votes and ratings', () => {
  it('has one vote per used service at most, and ratings equal to the latest RATING signal', () => {
    for (const a of BASE) {
      const used = new Set(a.signals.filter((s) => s.kind === SignalKind.USE).map((s) => s.serviceId));
      expect(new Set(a.votes.map((v) => v.serviceId)).size).toBe(a.votes.length);
      for (const v of a.votes) expect(used.has(v.serviceId)).toBe(true);
      const ratingSignals = a.signals.filter((s) => s.kind === SignalKind.RATING);
      expect(a.ratings).toHaveLength(new Set(ratingSignals.map((s) => s.serviceId)).size);
      for (const r of a.ratings) {
        const latest = ratingSignals
          .filter((s) => s.serviceId === r.serviceId)
          .sort((x, y) => y.occurredAt.getTime() - x.occurredAt.getTime())[0];
        expect(r.stars).toBe(latest.rating);
        expect(r.updatedAt).toEqual(latest.occurredAt);
      }
    }
    expect(BASE.flatMap((a) => a.votes).length).toBeGreaterThan(1000);
  });

  it('rates and votes by latent quality: some services clearly better than others', () => {
    const byService = new Map<string, number[]>();
    for (const s of SIGNALS)
      if (s.rating !== null) byService.set(s.serviceId!, [...(byService.get(s.serviceId!) ?? []), s.rating]);
    const means = [...byService.values()]
      .filter((r) => r.length >= 30)
      .map((r) => r.reduce((a, b) => a + b, 0) / r.length);
    expect(Math.max(...means) - Math.min(...means)).toBeGreaterThan(1);
  });
});

describe('COPY text format', () => {
  it('escapes text and writes null and arrays', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(copyField(true)).toBe('t');
    expect(copyField(3)).toBe('3');
    expect(copyField(new Date('2025-01-02T03:04:05.678Z'))).toBe('2025-01-02T03:04:05.678Z');
    expect(arrayLiteral(['a', 'b,c', 'd"e', 'f\\g'])).toBe('{"a","b,c","d\\"e","f\\\\g"}');
    expect(copyField(['d"e', 'f\\g'])).toBe('{"d\\\\"e","f\\\\\\\\g"}');
    expect(copyField([])).toBe('{}');
    expect(copyLine(['x', null, 1])).toBe('x\t\\N\t1\n');
  });

  it('gives independent named random streams', () => {
    const a = createRng(1, 'x');
    const b = createRng(1, 'x');
    const c = createRng(1, 'y');
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('seed command line', () => {
  it('reads sizes, seed, window and anchor', () => {
    const args = parseArgs([
      '--citizens',
      '200',
      '--signals',
      '5000',
      '--seed',
      '7',
      '--days',
      '90',
      '--now',
      '2025-06-01',
      '--reset',
    ]);
    expect(args).toEqual({
      citizens: 200,
      signals: 5000,
      seed: 7,
      days: 90,
      now: new Date('2025-06-01T00:00:00Z'),
      reset: true,
      services: 0,
    });
  });

  it('anchors on today at midnight UTC by default, and refuses bad input', () => {
    const now = parseArgs([]).now;
    expect(now.getTime() % 86_400_000).toBe(0);
    expect(Date.now() - now.getTime()).toBeLessThan(86_400_000);
    expect(() => parseArgs(['--citizens', '-1'])).toThrow(/--citizens/);
    expect(() => parseArgs(['--now', 'someday'])).toThrow(/--now/);
    expect(() => parseArgs(['--frobnicate'])).toThrow(/unknown argument/);
  });
});
