import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('configuration documents', () => {
  it('names every setting that src/config.ts reads in the README or docs/operations.md', () => {
    const source = read('src/config.ts');
    const settings = new Set(
      [...source.matchAll(/env(?:\.|, ')([A-Z][A-Z0-9_]{2,})/g)]
        .map((match) => match[1])
        .filter((name) => name !== 'MAX_COST'),
    );
    const documented = read('README.md') + read('docs/operations.md');
    expect(settings.size).toBeGreaterThan(40);
    expect([...settings].filter((name) => !documented.includes(`\`${name}\``))).toEqual([]);
  });
});
