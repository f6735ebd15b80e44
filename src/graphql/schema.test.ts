import { readFileSync } from 'node:fs';
import path from 'node:path';
import { emittedSchema } from './print-schema';

describe('schema.graphql', () => {
  it('is the schema the code emits (run `npm run schema` after changing it)', async () => {
    const committed = readFileSync(path.join(__dirname, 'schema.graphql'), 'utf8');
    expect(await emittedSchema()).toBe(committed);
  });

  it('names the date scalar DateTime, as the contract does', async () => {
    const sdl = await emittedSchema();
    expect(sdl).toContain('scalar DateTime');
    expect(sdl).not.toContain('DateTimeISO');
  });
});
