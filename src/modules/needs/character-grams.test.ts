import { GramProfiles, gramsOf } from './character-grams';

describe('gramsOf', () => {
  it('reads each run of Han characters as overlapping pairs, with offsets into the text', () => {
    expect(gramsOf('房东赶我')).toEqual([
      { gram: '房东', start: 0, end: 2 },
      { gram: '东赶', start: 1, end: 3 },
      { gram: '赶我', start: 2, end: 4 },
    ]);
    // Pairs never span punctuation, spaces or Latin text; a lone character counts as itself.
    expect(gramsOf('房东，走 a 我').map((g) => g.gram)).toEqual(['房东', '走', '我']);
  });

  it('reads Latin words of four letters or more by their first five', () => {
    expect(gramsOf('my dad retired, retirement pay').map((g) => g.gram)).toEqual(['retir', 'retir']);
    expect(gramsOf('退休 pension')).toEqual([
      { gram: '退休', start: 0, end: 2 },
      { gram: 'pensi', start: 3, end: 10 },
    ]);
  });
});

describe('GramProfiles', () => {
  const profiles = new GramProfiles([
    {
      code: 'landlord',
      phrases: [
        { text: '房东要赶我走', weight: 1 },
        { text: '房东不退押金', weight: 1 },
      ],
    },
    {
      code: 'pension',
      phrases: [
        { text: '退休金怎么领', weight: 1 },
        { text: '退休了去哪领钱', weight: 1 },
      ],
    },
    {
      code: 'card',
      phrases: [
        { text: '社保卡丢了', weight: 1 },
        { text: '卡丢了怎么补', weight: 0.8 },
      ],
    },
  ]);

  it('scores the class whose phrases share the text pairs, and no class for unknown text', () => {
    const matches = profiles.match('房东赶我出去');
    expect([...matches.keys()]).toEqual(['landlord']);
    expect(matches.get('landlord')!.grams.map((g) => g.gram)).toEqual(['房东', '赶我']);
    expect(profiles.match('今天天气很好').size).toBe(0);
    expect(profiles.match('').size).toBe(0);
  });

  it('weighs a pair by how many phrases of the class use it, and by how few classes do', () => {
    // 退休 is in both pension phrases, 怎么 in one phrase of pension and one of card.
    const retire = profiles.match('退休').get('pension')!.similarity;
    const how = profiles.match('怎么').get('pension')!.similarity;
    expect(retire).toBeGreaterThan(how);
  });

  it('keeps similarity within 0–1 and shrinks it for texts with little known evidence', () => {
    const short = profiles.match('退休').get('pension')!.similarity;
    const long = profiles.match('我退休了去哪领退休金').get('pension')!.similarity;
    expect(short).toBeGreaterThan(0);
    expect(long).toBeGreaterThan(short);
    expect(long).toBeLessThanOrEqual(1);
  });

  it('answers the same for the same text, whatever was asked before', () => {
    const first = profiles.match('卡丢了');
    profiles.match('房东赶我出去');
    expect(profiles.match('卡丢了')).toEqual(first);
  });
});
