import { NeedMetCheck, type UnmetRequest } from './need-met';

const rabiesBooking = {
  id: 'new',
  title: '犬只狂犬疫苗接种预约',
  titleEn: 'Rabies vaccination booking for dogs',
  tags: ['狂犬疫苗', '犬只', '宠物防疫'],
  summary: '为家养犬只预约狂犬疫苗接种，就近到动物防疫点打疫苗并办理免疫证明。',
  description: null,
  categoryCodes: [],
  districtCodes: [] as string[],
};
const request = (text: string, extra: Partial<UnmetRequest> = {}): UnmetRequest => ({
  id: '1',
  text,
  needCode: null,
  districtCode: '520103',
  ...extra,
});

describe('NeedMetCheck: does a new service meet an earlier unmet request', () => {
  it('meets a request whose words the service covers, in either script', () => {
    const check = new NeedMetCheck(rabiesBooking, new Set());
    expect(check.meets(request('我家狗狗的狂犬疫苗去哪里打'))).toBe(true);
    expect(check.meets(request('狂犬疫苗在哪裡打'))).toBe(true);
  });

  it('does not meet a request about something else', () => {
    const check = new NeedMetCheck(rabiesBooking, new Set());
    expect(check.meets(request('小区门口的路灯坏了一个月'))).toBe(false);
    expect(check.scoreOf(request('小区门口的路灯坏了一个月'))).toBe(0);
  });

  it('never meets a request from a district the service is closed to', () => {
    const check = new NeedMetCheck({ ...rabiesBooking, districtCodes: ['520111'] }, new Set());
    expect(check.meets(request('我家狗狗的狂犬疫苗去哪里打'))).toBe(false);
    expect(check.meets(request('我家狗狗的狂犬疫苗去哪里打', { districtCode: '520111' }))).toBe(true);
  });

  it('with fewer shared words, meets a request only when its recognised need is one the department answers for', () => {
    const text = '想问问宠物防疫的事情，还有别的很多问题要咨询办理';
    const score = new NeedMetCheck(rabiesBooking, new Set()).scoreOf(request(text));
    expect(score).toBeGreaterThanOrEqual(0.15);
    expect(score).toBeLessThan(0.25);
    expect(new NeedMetCheck(rabiesBooking, new Set()).meets(request(text, { needCode: 'pet-vaccination' }))).toBe(
      false,
    );
    expect(
      new NeedMetCheck(rabiesBooking, new Set(['pet-vaccination'])).meets(
        request(text, { needCode: 'pet-vaccination' }),
      ),
    ).toBe(true);
  });

  it('meets a request about the need the service itself is about, whatever its words, where the service is open', () => {
    const text = '刚抱回来的小奶猫要不要打针';
    const plain = new NeedMetCheck(rabiesBooking, new Set(['pet-vaccination']));
    expect(plain.meets(request(text, { needCode: 'pet-vaccination' }))).toBe(false);
    const about = new NeedMetCheck(rabiesBooking, new Set(['pet-vaccination']), 'pet-vaccination');
    expect(about.meets(request(text, { needCode: 'pet-vaccination' }))).toBe(true);
    expect(about.meets(request(text, { needCode: 'pet-lost' }))).toBe(false);
    expect(about.meets(request(text))).toBe(false);
    const closed = new NeedMetCheck(
      { ...rabiesBooking, districtCodes: ['520111'] },
      new Set(['pet-vaccination']),
      'pet-vaccination',
    );
    expect(closed.meets(request(text, { needCode: 'pet-vaccination' }))).toBe(false);
    expect(closed.meets(request(text, { needCode: 'pet-vaccination', districtCode: '520111' }))).toBe(true);
  });
});
