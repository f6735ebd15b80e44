import { requestKeywords } from './request-keywords';

describe('requestKeywords', () => {
  it('gives the same keywords for one need in either script and other words', () => {
    expect(requestKeywords('宠物疫苗预约')).toEqual(requestKeywords('給狗打疫苗在哪裏預約'));
    expect(requestKeywords('宠物疫苗预约')).toEqual(['宠物', '疫苗', '预约']);
    expect(requestKeywords('狗丢了怎么找')).toEqual(['丢失', '宠物']);
    expect(requestKeywords('我家猫咪走丢了谁能帮忙找')).toEqual(['丢失', '宠物']);
  });

  it('counts a topic word once, with neither its segments nor a token that only wraps it', () => {
    expect(requestKeywords('電動自行車怎麼上牌照')).toEqual(['上牌', '电动车']);
    expect(requestKeywords('电瓶车挂牌需要什么材料')).toEqual(['上牌', '电动车']);
    expect(requestKeywords('e-bike plate registration')).toEqual(['上牌', '电动车']);
    expect(requestKeywords('养狗要办证吗')).toEqual(['办证', '宠物']);
  });

  it('drops stop words, words of every request, fillers and single characters', () => {
    expect(requestKeywords('请问在哪里办理')).toEqual([]);
    expect(requestKeywords('楼下想装充电桩')).toEqual(['充电桩']);
    // Quantities and spans of time say how much or how long, not what.
    expect(requestKeywords('我被电信诈骗骗了两万块')).toEqual(['电信', '诈骗']);
    expect(requestKeywords('公司三个月没发工资了')).not.toContain('三个月');
    expect(requestKeywords('the water has been off for 2 days')).toEqual(['off', 'water']);
  });

  it('corrects typos of topic words through the given corrector', () => {
    const correct = (text: string) => text.replace('宠屋', '宠物');
    expect(requestKeywords('宠屋疫苗', correct)).toEqual(['宠物', '疫苗']);
  });
});
