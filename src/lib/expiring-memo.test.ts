import { BoundedMemo, ExpiringMemo } from './memos';

describe('ExpiringMemo', () => {
  let now = 0;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('computes a key once within its time', async () => {
    const memo = new ExpiringMemo<number>(5_000, 10);
    const compute = jest.fn(async () => 1);
    expect(await memo.get('k', compute)).toBe(1);
    now += 4_999;
    expect(await memo.get('k', compute)).toBe(1);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('past its time gives the old result while one refresh runs, then the new one', async () => {
    const memo = new ExpiringMemo<number>(5_000, 10);
    await memo.get('k', async () => 1);
    now += 5_000;
    let finish!: (value: number) => void;
    const refresh = jest.fn(() => new Promise<number>((resolve) => (finish = resolve)));
    expect(await memo.get('k', refresh)).toBe(1);
    expect(await memo.get('k', refresh)).toBe(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    finish(2);
    await settle();
    expect(await memo.get('k', refresh)).toBe(2);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('keeps the old result when a refresh fails, and tries again at the next call', async () => {
    const memo = new ExpiringMemo<number>(5_000, 10);
    await memo.get('k', async () => 1);
    now += 6_000;
    expect(await memo.get('k', async () => Promise.reject(new Error('database unavailable')))).toBe(1);
    await settle();
    const retry = jest.fn(async () => 3);
    expect(await memo.get('k', retry)).toBe(1);
    await settle();
    expect(retry).toHaveBeenCalledTimes(1);
    expect(await memo.get('k', retry)).toBe(3);
  });

  it('forgets a first computation that failed', async () => {
    const memo = new ExpiringMemo<number>(5_000, 10);
    await expect(memo.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await settle();
    expect(await memo.get('k', async () => 4)).toBe(4);
  });

  it('reads a time given as a function each time it stores a result', async () => {
    let ttl = 1_000;
    const memo = new ExpiringMemo<number>(() => ttl, 10);
    await memo.get('k', async () => 1);
    ttl = 30_000;
    now += 1_000;
    expect(await memo.get('k', async () => 2)).toBe(1);
    await settle();
    expect(await memo.get('k', async () => 3)).toBe(2);
    now += 29_999;
    expect(await memo.get('k', async () => 4)).toBe(2);
  });

  it('with a spread, gives each result a time of its own around the ttl', async () => {
    const memo = new ExpiringMemo<number>(4_000, 10, 0.5);
    const random = jest.spyOn(Math, 'random');
    random.mockReturnValueOnce(0); // 4 s × 0.75
    await memo.get('early', async () => 1);
    random.mockReturnValueOnce(0.999_999); // 4 s × 1.25
    await memo.get('late', async () => 1);
    now += 2_999;
    const early = jest.fn(async () => 2);
    const late = jest.fn(async () => 2);
    await memo.get('early', early);
    expect(early).not.toHaveBeenCalled();
    now += 1;
    await memo.get('early', early);
    expect(early).toHaveBeenCalledTimes(1);
    now += 1_998;
    await memo.get('late', late);
    expect(late).not.toHaveBeenCalled();
    now += 2;
    await memo.get('late', late);
    expect(late).toHaveBeenCalledTimes(1);
  });
});

describe('BoundedMemo', () => {
  it('computes a key once until it forgets', () => {
    const memo = new BoundedMemo(2);
    const compute = jest.fn(() => 7);
    expect(memo.get('a', compute)).toBe(7);
    expect(memo.get('a', compute)).toBe(7);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('forgets everything past its entries', () => {
    const memo = new BoundedMemo(2);
    memo.get('a', () => 1);
    memo.get('b', () => 2);
    expect(memo.get('c', () => 3)).toBe(3);
    expect(memo.get('a', () => 10)).toBe(10);
    expect(memo.get('c', () => 30)).toBe(3);
  });

  it('forgets everything past the characters of its keys, however few the entries', () => {
    const memo = new BoundedMemo(100, 10);
    memo.get('abcdef', () => 1);
    expect(memo.get('abcd', () => 2)).toBe(2);
    expect(memo.get('abcdef', () => 10)).toBe(1);
    expect(memo.get('x', () => 3)).toBe(3);
    expect(memo.get('abcdef', () => 100)).toBe(100);
  });
});
