import { readCatalogueSeed } from '../../../seeds/catalogue';
import { categoryRelation, SIMILARITY_FLOOR, SimilarityIndex, type ComparableService } from './similarity';

const seed = readCatalogueSeed();
const parentOf = new Map(seed.categories.map((c) => [c.code, c.parent]));
const catalogue: ComparableService[] = seed.services.map((s) => ({
  id: s.code,
  title: s.title,
  titleEn: s.titleEn,
  tags: s.tags,
  summary: s.summary,
  description: s.description ?? null,
  categoryId: s.category,
  parentCategoryId: parentOf.get(s.category) ?? null,
}));
const index = new SimilarityIndex(catalogue);

const proposal = (
  fields: Partial<ComparableService> & Pick<ComparableService, 'title' | 'summary' | 'categoryId'>,
): ComparableService => ({
  id: 'proposal',
  titleEn: null,
  tags: [],
  description: null,
  parentCategoryId: parentOf.get(fields.categoryId) ?? null,
  ...fields,
});

describe('SimilarityIndex', () => {
  it('puts a near-duplicate of another department’s service first', () => {
    const similar = index.similarTo(
      proposal({
        title: '居家养老上门服务申请',
        summary: '60岁以上居家老年人可以申请社区上门养老服务，由服务机构提供助餐、助洁、助浴和助医服务。',
        tags: ['居家养老', '上门服务', '助餐助浴'],
        categoryId: 'community.elderly',
      }),
    );
    expect(similar[0].serviceId).toBe('EL-0003');
    expect(similar[0].similarity).toBeGreaterThan(0.6);
    expect(similar.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < similar.length; i += 1)
      expect(similar[i].similarity).toBeLessThanOrEqual(similar[i - 1].similarity);
  });

  it('finds it in traditional script too', () => {
    const similar = index.similarTo(
      proposal({
        title: '社區居家養老服務申請',
        summary: '老年人申請上門助餐、助潔、助浴服務。',
        categoryId: 'community.elderly',
      }),
    );
    expect(similar[0].serviceId).toBe('EL-0003');
  });

  it('reports nothing for a service unlike any in the catalogue, and leaves out excluded ones', () => {
    const pets = proposal({
      title: '宠物狂犬病疫苗接种预约',
      summary: '为犬猫预约狂犬病疫苗接种并办理免疫证明。',
      tags: ['宠物', '疫苗'],
      categoryId: 'life.health',
    });
    expect(index.similarTo(pets).every((s) => s.similarity < 0.5)).toBe(true);
    const own = catalogue.find((s) => s.id === 'EL-0003')!;
    expect(index.similarTo({ ...own, id: 'copy' })[0]).toEqual({ serviceId: 'EL-0003', similarity: 1 });
    expect(
      index.similarTo({ ...own, id: 'copy' }, { exclude: new Set(['EL-0003']) }).map((s) => s.serviceId),
    ).not.toContain('EL-0003');
  });

  it('scores from 0 to 1 and never reports below the floor', () => {
    const all = index.similarTo(
      proposal({ title: '公积金提取', summary: '提取住房公积金', categoryId: 'gov.housing-fund' }),
      { limit: 300 },
    );
    expect(all.length).toBeGreaterThan(0);
    for (const s of all) {
      expect(s.similarity).toBeGreaterThanOrEqual(SIMILARITY_FLOOR);
      expect(s.similarity).toBeLessThanOrEqual(1);
    }
  });
});

describe('categoryRelation', () => {
  it('is 1 for the same category, 0.5 for siblings, 0 otherwise', () => {
    const a = { categoryId: 'a1', parentCategoryId: 'a' };
    expect(categoryRelation(a, a)).toBe(1);
    expect(categoryRelation(a, { categoryId: 'a2', parentCategoryId: 'a' })).toBe(0.5);
    expect(categoryRelation(a, { categoryId: 'a', parentCategoryId: null })).toBe(0.5);
    expect(categoryRelation(a, { categoryId: 'b1', parentCategoryId: 'b' })).toBe(0);
  });
});
