import { NeedClassifier } from './need-classifier';

const classifier = NeedClassifier.train([
  { label: 'tenancy', features: ['房东', '赶我', '押金'], weight: 1 },
  { label: 'tenancy', features: ['房东', '合同', '到期'], weight: 1 },
  { label: 'tenancy', features: ['租房', '押金', '不退'], weight: 1 },
  { label: 'pension', features: ['退休', '领钱'], weight: 1 },
  { label: 'pension', features: ['退休金', '怎么', '领'], weight: 1 },
  { label: 'card', features: ['社保卡', '丢了', '怎么'], weight: 0.8 },
]);

describe('NeedClassifier', () => {
  it('reads a text that repeats no phrase whole as the class whose phrases, together, use its words', () => {
    // 房东 and 不退 come from two different phrases of the same class.
    const [best, ...rest] = classifier.posterior(['房东', '不退', '今天'], 4);
    expect(best.code).toBe('tenancy');
    expect(best.probability).toBeGreaterThan(0.9);
    expect(rest.every((r) => r.probability < best.probability)).toBe(true);
  });

  it('gives a distribution over the classes, best first, only above the least share asked', () => {
    const all = classifier.posterior(['怎么'], 1, 0);
    expect(all.map((r) => r.code).sort()).toEqual(['card', 'pension', 'tenancy']);
    expect(all.reduce((sum, r) => sum + r.probability, 0)).toBeCloseTo(1, 9);
    // 怎么 is used by pension and card, never by tenancy.
    expect(all[2].code).toBe('tenancy');
    expect(classifier.posterior(['怎么'], 1, 0.3).map((r) => r.code)).not.toContain('tenancy');
  });

  it('is tempered by the sharpness, not by the length of the text', () => {
    const soft = classifier.posterior(['退休'], 1)[0].probability;
    const sharp = classifier.posterior(['退休'], 8)[0].probability;
    expect(sharp).toBeGreaterThan(soft);
    // The same evidence twice over is no surer: log-likelihoods are averaged over the known features.
    const once = classifier.posterior(['退休', '领钱'], 4)[0].probability;
    const withUnknown = classifier.posterior(['退休', '领钱', '天气', '火锅'], 4)[0].probability;
    expect(withUnknown).toBeCloseTo(once, 12);
  });

  it('answers nothing for a text none of whose features any phrase used, and is deterministic', () => {
    expect(classifier.posterior(['天气', '火锅'], 4)).toEqual([]);
    expect(classifier.posterior([], 4)).toEqual([]);
    const again = NeedClassifier.train([
      { label: 'pension', features: ['退休'], weight: 1 },
      { label: 'card', features: ['社保卡'], weight: 1 },
    ]);
    expect(again.vocabularySize).toBe(2);
    expect(again.posterior(['退休'], 4)).toEqual(again.posterior(['退休'], 4));
  });
});
