import { DataLoader, PeekableDataLoader } from './dataloader';

describe('DataLoader', () => {
  it('answers missing rows as the batch does', async () => {
    const loader = new DataLoader<string, string | undefined>(async (keys) =>
      keys.map((k) => (k === 'b' ? undefined : k.toUpperCase())),
    );
    await expect(loader.loadMany(['a', 'b', 'c'])).resolves.toEqual(['A', undefined, 'C']);
  });

  it('fails loadMany as a whole when the batch failed, instead of an Error in place of each key', async () => {
    const loader = new DataLoader<string, string>(async () => {
      throw new Error('connection terminated');
    });
    await expect(loader.loadMany(['a', 'b'])).rejects.toThrow('connection terminated');
  });
});

describe('PeekableDataLoader', () => {
  const loader = () => new PeekableDataLoader<string, string>(async (keys) => keys.map((k) => `loaded ${k}`));

  it('answers a primed value at once, and load gives the same', async () => {
    const l = loader().prime('a', 'primed a');
    expect(l.peek('a')).toBe('primed a');
    await expect(l.load('a')).resolves.toBe('primed a');
    expect(l.peek('b')).toBeUndefined();
  });

  it('keeps what load gave before a prime, as load does', async () => {
    const l = loader();
    await expect(l.load('a')).resolves.toBe('loaded a');
    l.prime('a', 'primed a');
    expect(l.peek('a')).toBeUndefined();
    await expect(l.load('a')).resolves.toBe('loaded a');
  });

  it('forgets a primed value on clear and clearAll, and never peeks an error or a promise', async () => {
    const l = loader().prime('a', 'primed a').prime('b', 'primed b');
    l.clear('a');
    expect(l.peek('a')).toBeUndefined();
    await expect(l.load('a')).resolves.toBe('loaded a');
    l.clearAll();
    expect(l.peek('b')).toBeUndefined();
    l.prime('c', new Error('gone')).prime('d', Promise.resolve('later d'));
    expect(l.peek('c')).toBeUndefined();
    expect(l.peek('d')).toBeUndefined();
    await expect(l.load('d')).resolves.toBe('later d');
  });
});
