import { clusterByKeywords, clusterId, clusterKeywords, clusterLabel } from './clustering';

const weight = (word: string) => (word === 'common' ? 0.2 : 1);
const texts = (clusters: number[][], items: string[][]) => clusters.map((c) => c.map((i) => items[i].join('+')));

describe('clusterByKeywords', () => {
  it('keeps topics sharing only one word apart, and texts alike on the whole together', () => {
    const items = [
      ['宠物', '疫苗'],
      ['宠物', '疫苗', '预约'],
      ['宠物', '疫苗'],
      ['宠物', '丢失'],
      ['宠物', '丢失', '启事'],
      ['电动车', '上牌'],
      ['电动车', '上牌'],
    ];
    const clusters = clusterByKeywords(items, weight, { threshold: 0.55, maxSignatures: 100 });
    expect(clusters).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('does not merge on a word common to every text', () => {
    const items = [
      ['common', 'a'],
      ['common', 'b'],
      ['common', 'a'],
      ['common', 'b'],
    ];
    expect(clusterByKeywords(items, weight, { threshold: 0.55, maxSignatures: 100 })).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });

  it('leaves out texts without keywords and does not depend on input order', () => {
    const items = [['x', 'y'], [], ['z'], ['x', 'y', 'w'], ['z']];
    const clusters = clusterByKeywords(items, weight, { threshold: 0.55, maxSignatures: 100 });
    expect(texts(clusters, items)).toEqual([
      ['x+y', 'x+y+w'],
      ['z', 'z'],
    ]);
    const reversed = [...items].reverse();
    const again = texts(clusterByKeywords(reversed, weight, { threshold: 0.55, maxSignatures: 100 }), reversed);
    expect(again.map((c) => c.sort().join(' ')).sort()).toEqual(['x+y x+y+w', 'z z']);
  });

  it('assigns signatures beyond the limit to their nearest cluster, or leaves them alone', () => {
    const items = [
      ['a', 'b'],
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
      ['a', 'b', 'e'],
      ['q', 'r'],
    ];
    const clusters = clusterByKeywords(items, weight, { threshold: 0.55, maxSignatures: 2 });
    expect(clusters).toEqual([[0, 1, 4], [2, 3], [5]]);
  });

  it('lets a text of a single keyword join a cluster, but never link two', () => {
    // 电动车 alone is as like 电动车+上牌 as 电动车+充电桩: it must not pull them together.
    const items = [
      ['电动车', '上牌'],
      ['电动车', '上牌'],
      ['电动车'],
      ['电动车'],
      ['电动车'],
      ['电动车', '充电桩'],
      ['电动车', '充电桩'],
    ];
    const clusters = clusterByKeywords(items, weight, { threshold: 0.55, maxSignatures: 100 });
    expect(clusters).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6],
    ]);
  });

  it('averages over clusters rather than chaining through single links', () => {
    // b+c is like a+b and like c+d (0.5 each), but a+b and c+d have nothing in common.
    const items = [
      ['a', 'b'],
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['c', 'd'],
    ];
    const clusters = clusterByKeywords(items, weight, { threshold: 0.45, maxSignatures: 100 });
    expect(clusters).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });
});

describe('cluster descriptions', () => {
  it('describes a cluster by the keywords of at least half its texts', () => {
    const items = [
      ['宠物', '丢失'],
      ['宠物', '丢失', '启事'],
      ['宠物', '丢失', 'yunyan'],
      ['丢失', '宠物', '寻找'],
    ];
    expect(clusterKeywords(items, weight)).toEqual(['丢失', '宠物']);
    expect(
      clusterKeywords(
        [
          ['a', 'common'],
          ['b', 'common'],
        ],
        weight,
      ),
    ).toEqual(['common', 'a', 'b']);
    expect(clusterKeywords([['a'], ['b'], ['c']], weight, { minShare: 0.5 })).toEqual(['a']);
  });

  it('identifies a cluster by its keywords, whatever their order', () => {
    expect(clusterId(['宠物', '丢失'])).toBe(clusterId(['丢失', '宠物']));
    expect(clusterId(['宠物', '丢失'])).not.toBe(clusterId(['宠物', '疫苗']));
    expect(clusterId(['a'])).toMatch(/^[0-9a-f-]{36}$/);
    expect(clusterLabel(['宠物', '丢失', '启事', 'x'])).toBe('宠物 · 丢失 · 启事');
    expect(clusterLabel(['宠物', '丢失'], '寻找走失宠物')).toBe('寻找走失宠物');
  });
});
