import { ExpiringMemo } from './catalogue-snapshot';

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
});
