import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { loadConfig } from '../../src/config';
import { checkOperation } from '../../src/graphql/armor';
import { getSchema } from '../../src/graphql/schema';

/**
 * Every operation this project's clients and tests send must pass the operation limits
 * (depth, aliases, directives, tokens, cost) at their default settings, in production too.
 */
const operationsDir = path.join(__dirname, 'operations');
const documents: [string, string][] = readdirSync(operationsDir)
  .filter((name) => name.endsWith('.graphql'))
  .sort()
  .map((name) => [name, readFileSync(path.join(operationsDir, name), 'utf8')]);
const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const readmeBlocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i): [string, string] => [`README block ${i + 1}`, m[1]]);

describe.each([['development'], ['production']])('operation limits (%s defaults)', (nodeEnv) => {
  const config = loadConfig({ NODE_ENV: nodeEnv, JWT_SECRET: 'x'.repeat(32) });

  it('finds the operation documents', () => {
    expect(documents.length).toBeGreaterThanOrEqual(8);
    expect(readmeBlocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each([...documents, ...readmeBlocks])('accepts every operation of %s', async (_name, source) => {
    const errors = checkOperation(await getSchema(), source, config);
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('accepts the standard introspection query (tools and the landing page send it)', async () => {
    const errors = checkOperation(await getSchema(), getIntrospectionQuery(), config);
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});
