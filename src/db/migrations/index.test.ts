import { readdirSync } from 'node:fs';
import { migrations } from './index';

describe('migrations', () => {
  it('lists every migration file, in order of its timestamp', () => {
    const files = readdirSync(__dirname)
      .filter((f) => /^\d+-.+\.ts$/.test(f) && !f.endsWith('.test.ts'))
      .sort();
    const names = migrations.map((m) => m.name);
    expect(names).toEqual(files.map((f) => f.replace(/^(\d+)-(.+)\.ts$/, '$2$1')));
  });
});
