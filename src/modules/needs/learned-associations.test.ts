import { seededNeedRecogniser } from './cluster-need';
import {
  DEFAULT_LEARNING,
  indexAssociations,
  LEARNED_REASON,
  learnAssociations,
  learnedMatches,
  learnedServiceScores,
  MIN_LEARNED_SCORE,
  termsOf,
  type VisitEvidence,
} from './learned-associations';
import { seededNeedsModel } from './needs-data';

/** A deterministic generator, so the simulated log is the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const PENSION = 'SS-0005';
const VIOLENCE = 'FC-0011';
const UNRELATED = 'HE-0015';
const OTHERS = [
  'SS-0001',
  'SS-0002',
  'HR-0010',
  'CA-0010',
  'LA-0001',
  'LA-0003',
  'HE-0001',
  'ED-0001',
  'TR-0001',
  'HF-0001',
];

/** Local words for the two needs that neither the needs data nor the synonyms hold. */
const TRAINING: Record<string, string[]> = {
  [PENSION]: ['老汉儿的养命钱咋个领', '老汉儿养命钱找哪个', '养命钱咋个领', '老汉儿的养命钱停了', '我老汉儿养命钱'],
  [VIOLENCE]: ['屋头那个天天捶我', '屋头那个又捶人了', '遭屋头那个捶了咋整', '屋头那个喝了酒就捶我', '天天遭捶'],
};
const HELD_OUT = { [PENSION]: '帮老汉儿办养命钱', [VIOLENCE]: '屋头那个昨晚又捶我' };

/** Honest citizens: most go on to the service that meets their words, some wander. */
function honestLog(seed = 7): VisitEvidence[] {
  const next = random(seed);
  const log: VisitEvidence[] = [];
  let citizen = 0;
  for (const [service, texts] of Object.entries(TRAINING)) {
    for (let i = 0; i < 14; i++) {
      const citizenId = `honest-${citizen++}`;
      const text = texts[i % texts.length];
      if (next() < 0.85) log.push({ citizenId, text, serviceId: service });
      if (next() < 0.4) log.push({ citizenId, text, serviceId: OTHERS[Math.floor(next() * OTHERS.length)] });
    }
  }
  // Background: requests of every kind, each followed by one of the city's services.
  for (let i = 0; i < 120; i++) {
    const serviceId = OTHERS[i % OTHERS.length];
    log.push({ citizenId: `background-${i}`, text: `请问${serviceId}相关的事情怎么办`, serviceId });
  }
  return log;
}

/** Five accounts, each repeating a request many times and viewing an unrelated service after each. */
function maliciousLog(text: string, accounts = 5, repeats = 40): VisitEvidence[] {
  const log: VisitEvidence[] = [];
  for (let a = 0; a < accounts; a++) {
    for (let r = 0; r < repeats; r++) log.push({ citizenId: `malicious-${a}`, text, serviceId: UNRELATED });
  }
  return log;
}

const top = (text: string, log: VisitEvidence[]) => learnedMatches(text, indexAssociations(learnAssociations(log)))[0];

describe('termsOf', () => {
  it('reads words and two-word phrases, never personal data', () => {
    const terms = termsOf('社保卡丢了 电话13812345678');
    expect(terms).toEqual(expect.arrayContaining(['丢']));
    expect(terms.some((t) => t.includes('13812345678'))).toBe(false);
    expect(terms.some((t) => t.includes(' '))).toBe(true);
  });
});

describe('learned associations on a simulated log', () => {
  it('lifts phrasings that neither the needs data nor the synonyms contain', () => {
    const recogniser = seededNeedRecogniser();
    const model = seededNeedsModel();
    for (const [service, text] of Object.entries(HELD_OUT)) {
      // The needs data does not read these words as a need the service meets.
      const needs = recogniser.recognise(text).needs.map((n) => n.need.code);
      const meeting = model.needsOfService(service).map((n) => n.code);
      expect({ text, recognised: needs.filter((n) => meeting.includes(n)) }).toEqual({ text, recognised: [] });
      // Nothing learned yet: nothing proposed.
      expect(learnedMatches(text, indexAssociations([]))).toEqual([]);
      // Learned from the city's own requests: the service comes first, with its reason.
      expect({ text, top: top(text, honestLog()) }).toEqual({
        text,
        top: { serviceId: service, score: expect.any(Number) as number, reason: LEARNED_REASON },
      });
    }
  });

  it('keeps nothing that fewer than the minimum of citizens showed, however often', () => {
    const background = honestLog().filter((e) => e.citizenId.startsWith('background'));
    const one = Array.from({ length: 200 }, () => ({ citizenId: 'c1', text: '养命钱咋个领', serviceId: PENSION }));
    const two = [...background, ...one, ...one.map((e) => ({ ...e, citizenId: 'c2' }))];
    expect(learnAssociations(two).filter((a) => a.serviceId === PENSION)).toEqual([]);
    const three = [...two, { citizenId: 'c3', text: '养命钱咋个领', serviceId: PENSION }];
    expect(learnAssociations(three).filter((a) => a.serviceId === PENSION).length).toBeGreaterThan(0);
    const least = Math.min(...learnAssociations(three).map((a) => a.citizens));
    expect(least).toBeGreaterThanOrEqual(DEFAULT_LEARNING.minCitizens);
  });

  it('cannot be steered by five accounts repeating a request and viewing an unrelated service', () => {
    for (const [service, text] of Object.entries(HELD_OUT)) {
      // On the honest citizens' own words: the service stays first, the unrelated one is not proposed.
      const attacked = [...honestLog(), ...maliciousLog(TRAINING[service][0])];
      const matches = learnedMatches(text, indexAssociations(learnAssociations(attacked)));
      expect(matches[0].serviceId).toBe(service);
      expect(matches.map((m) => m.serviceId)).not.toContain(UNRELATED);
    }
    // On words of their own that nobody else uses: still below the score that proposes anything.
    const own = [...honestLog(), ...maliciousLog('三号暗语领福利')];
    const scores = learnedServiceScores('三号暗语领福利', indexAssociations(learnAssociations(own)));
    expect(scores.get(UNRELATED) ?? 0).toBeGreaterThan(0);
    expect(scores.get(UNRELATED)!).toBeLessThan(MIN_LEARNED_SCORE);
    expect(learnedMatches('三号暗语领福利', indexAssociations(learnAssociations(own)))).toEqual([]);
    // Nor does a long request of many such words add up: the strongest term counts, not the sum.
    const many = [...honestLog(), ...maliciousLog('暗语一 暗语二 暗语三 暗语四 暗语五 暗语六')];
    expect(
      learnedMatches('暗语一 暗语二 暗语三 暗语四 暗语五 暗语六', indexAssociations(learnAssociations(many))),
    ).toEqual([]);
  });
});
