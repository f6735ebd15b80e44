import { DataLoader } from './dataloader';

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
