import { ratingAverage, toServiceStats, wilsonLowerBound } from './service-stats';

describe('wilsonLowerBound', () => {
  it('is 0 without votes', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });
  it('matches the textbook value for 10 of 10 and 1 of 2', () => {
    expect(wilsonLowerBound(10, 0)).toBeCloseTo(0.7225, 4);
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.0945, 4);
  });
  it('ranks many up votes above few', () => {
    expect(wilsonLowerBound(100, 10)).toBeGreaterThan(wilsonLowerBound(5, 0));
  });
});

describe('service stats', () => {
  it('averages ratings, null without any', () => {
    expect(ratingAverage(0, 0)).toBeNull();
    expect(ratingAverage(4, 14)).toBe(3.5);
    expect(
      toServiceStats({ upvotes: 3, downvotes: 1, ratingCount: 2, ratingSum: 9, uses30d: 5, views30d: 7 }),
    ).toMatchObject({
      ratingAverage: 4.5,
      uses30d: 5,
    });
  });
});
