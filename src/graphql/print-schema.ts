// Writes the emitted schema to src/graphql/schema.graphql (committed; a test compares them).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { getSchema } from './schema';

export const SCHEMA_FILE = path.resolve(__dirname, '..', '..', '..', 'src', 'graphql', 'schema.graphql');

export async function emittedSchema(): Promise<string> {
  return `${printSchema(await getSchema())}\n`;
}

if (require.main === module) {
  emittedSchema().then((sdl) => {
    writeFileSync(SCHEMA_FILE, sdl);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  });
}
