import { categoryOfNeed, needOfRequests, topNeedOf } from './cluster-need';
import { seededNeedsModel } from './needs-data';

const model = seededNeedsModel();

describe('needOfRequests', () => {
  const need = (code: string) => model.need(code)!;

  it('names the need most of the requests express', () => {
    const needs = [need('lost-pet'), need('lost-pet'), null, need('stray-and-nuisance-animals')];
    expect(needOfRequests(needs)?.code).toBe('lost-pet');
  });

  it('names none when fewer than half express it', () => {
    expect(needOfRequests([need('lost-pet'), null, null])).toBeNull();
    expect(needOfRequests([])).toBeNull();
  });
});

describe('topNeedOf', () => {
  it('reads the planted gaps of the end-to-end data as their needs', () => {
    expect(topNeedOf('电动车上牌在哪里办')?.code).toBe('e-bike-registration');
    expect(topNeedOf('我家的狗走丢了怎么办')?.code).toBe('lost-pet');
    expect(topNeedOf('下水道堵了')?.code).toBe('blocked-sewer');
    expect(topNeedOf('婚礼摄影师预约')).toBeNull();
  });
});

describe('categoryOfNeed', () => {
  it("takes a met need's category from its services, and a gap's from its life events", () => {
    const categories = new Map([
      ['HR-0013', 'hukou'],
      ['CA-0010', 'civil'],
      ['CA-0009', 'civil'],
    ]);
    const of = (code: string) => categories.get(code);
    expect(categoryOfNeed(model.need('deceased-hukou')!, model, of)).toBe('hukou');
    expect(categoryOfNeed(model.need('deceased-housing-fund')!, model, of)).toBe('civil');
    expect(categoryOfNeed(model.need('deceased-housing-fund')!, model, () => undefined)).toBeNull();
  });
});
