import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { loadConfig } from '../../src/config';
import { checkOperation, costOf } from '../../src/graphql/armor';
import { getSchema } from '../../src/graphql/schema';
import {
  EVERY_FIELD_PAGE,
  everyFieldPageWith,
  FRONTEND_PAGE,
  GUIDE_FIELDS,
  NESTED_PAGES,
  NESTED_PAGES_ALIASED,
  POINT_FIELDS,
  SERVICES_WITH_DEPARTMENTS,
} from '../helpers/heavy-queries';

/**
 * Every operation this project's clients and tests send must pass the operation limits
 * (depth, aliases, directives, tokens, cost) at their default settings, in production too,
 * with the heaviest variables they may send (every `first` at 100, the console's longest
 * trend windows and every split).
 */
const root = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const graphqlFiles = (dir: string) =>
  readdirSync(path.join(root, dir))
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name): [string, string] => [`${dir}/${name}`, read(`${dir}/${name}`)]);

const testOperations = graphqlFiles('test/e2e/operations');
// The SDK's operations use the fragments of its fragments.graphql: one document.
const sdk: [string, string] = [
  'sdk/operations',
  graphqlFiles('sdk/operations')
    .map(([, source]) => source)
    .join('\n'),
];
const consoleQueries = [...read('web/console/src/api.ts').matchAll(/\/\* GraphQL \*\/ `([\s\S]*?)`/g)].map(
  (m, i): [string, string] => [`web/console/src/api.ts query ${i + 1}`, m[1]],
);
const readmeBlocks = [...read('README.md').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i): [string, string] => [
  `README block ${i + 1}`,
  m[1],
]);
const documents = [...testOperations, sdk, ...consoleQueries, ...readmeBlocks];

const DAY_MS = 86_400_000;
const now = Date.parse('2026-12-01T00:00:00Z');
const window = (days: number) => ({
  from: new Date(now - days * DAY_MS).toISOString(),
  to: new Date(now).toISOString(),
});
/** The console's trend windows (web/console/src/main.ts), each split by every dimension or none. */
const TREND_VARIABLES = [
  [30, 'DAY'],
  [84, 'WEEK'],
  [182, 'WEEK'],
  [365, 'MONTH'],
].flatMap(([days, granularity]) =>
  [[], ['CATEGORY'], ['DISTRICT'], ['AGE_BAND'], ['KIND']].map((groupBy) => ({
    filter: window(days as number),
    granularity,
    groupBy,
  })),
);

/** A value of `type`, as large as a client may send: lists of one, `first` 100, every input field set. */
function heaviestValue(schema: GraphQLSchema, type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return heaviestValue(schema, type.ofType, name);
  if (isListType(type)) return [heaviestValue(schema, type.ofType, name)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) {
    return Object.fromEntries(
      Object.values(named.getFields()).map((field) => [field.name, heaviestValue(schema, field.type, field.name)]),
    );
  }
  switch (named.name) {
    case 'Int':
      return name === 'first' ? 100 : 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date(now).toISOString();
    default:
      return 'x';
  }
}

function variableSets(schema: GraphQLSchema, operation: OperationDefinitionNode): Record<string, unknown>[] {
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType;
    variables[definition.variable.name.value] = heaviestValue(schema, type, definition.variable.name.value);
  }
  if ('from' in variables && 'to' in variables) Object.assign(variables, window(365));
  // A trend's own variables (filter, granularity) at their heaviest; the others (a map's unmet
  // window, for one) as above.
  if (operation.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'demandTrends'))
    return TREND_VARIABLES.map((trend) => ({ ...variables, ...trend }));
  return [variables];
}

describe.each([['development'], ['production']])('operation limits (%s defaults)', (nodeEnv) => {
  const config = loadConfig({ NODE_ENV: nodeEnv, JWT_SECRET: 'x'.repeat(32) });

  it('finds the operation documents', () => {
    expect(testOperations.length).toBeGreaterThanOrEqual(8);
    expect(consoleQueries.length).toBeGreaterThanOrEqual(5);
    expect(readmeBlocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(documents)('accepts every operation of %s with its heaviest variables', async (_name, source) => {
    const schema = await getSchema();
    const operations = parse(source).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) {
      const name = operation.name?.value;
      for (const variables of variableSets(schema, operation)) {
        expect({
          name,
          variables,
          errors: checkOperation(schema, source, config, variables, name).map((e) => e.message),
        }).toEqual({
          name,
          variables,
          errors: [],
        });
        // Not waved through for want of variables: the cost was counted.
        expect(costOf(schema, source, variables, name)).not.toBeNull();
      }
    }
  });

  it('accepts a page of 100 services with every field, the frontend page and 100 services with departments', async () => {
    const schema = await getSchema();
    for (const query of [EVERY_FIELD_PAGE, FRONTEND_PAGE, SERVICES_WITH_DEPARTMENTS]) {
      expect(checkOperation(schema, query, config).map((e) => e.message)).toEqual([]);
    }
    expect(costOf(schema, EVERY_FIELD_PAGE)).toBeLessThanOrEqual(config.limits.maxNodes);
  });

  it('accepts 100 services with their guides; with every point and its hours, 30 and not 100 (about 17,000 objects)', async () => {
    const schema = await getSchema();
    const withGuide = everyFieldPageWith(100, GUIDE_FIELDS);
    expect(checkOperation(schema, withGuide, config).map((e) => e.message)).toEqual([]);
    expect(checkOperation(schema, everyFieldPageWith(30, `${GUIDE_FIELDS} ${POINT_FIELDS}`), config)).toEqual([]);
    const withPoints = everyFieldPageWith(100, `${GUIDE_FIELDS} ${POINT_FIELDS}`);
    const errors = checkOperation(schema, withPoints, config);
    expect(errors.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_EXPENSIVE']);
    const raised = loadConfig({ NODE_ENV: nodeEnv, JWT_SECRET: 'x'.repeat(32), MAX_NODES: '30000' });
    expect(checkOperation(schema, withPoints, raised)).toEqual([]);
  });

  it('refuses pages inside pages, with the page size as a variable or by default, and four aliases of them', async () => {
    const schema = await getSchema();
    for (const [query, variables] of [
      [NESTED_PAGES, { n: 100 }],
      [NESTED_PAGES, {}],
      [NESTED_PAGES_ALIASED, { n: 100 }],
      ['{ departments { services(first: 100) { edges { node { id } } } } }', {}],
    ] as const) {
      const errors = checkOperation(schema, query, config, variables);
      expect(errors.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_EXPENSIVE']);
    }
  });

  it('accepts the standard introspection query (tools and the landing page send it)', async () => {
    const errors = checkOperation(await getSchema(), getIntrospectionQuery(), config);
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});

describe('costs of the heaviest legitimate operations (docs/security.md)', () => {
  it('stays within MAX_NODES with room', async () => {
    const schema = await getSchema();
    const costs = {
      everyFieldPage: costOf(schema, EVERY_FIELD_PAGE),
      frontendPage: costOf(schema, FRONTEND_PAGE),
      servicesWithDepartments: costOf(schema, SERVICES_WITH_DEPARTMENTS),
      nestedPagesAttack: costOf(schema, NESTED_PAGES, { n: 100 }),
      withGuides: costOf(schema, everyFieldPageWith(100, GUIDE_FIELDS)),
      withGuidesAndPoints: costOf(schema, everyFieldPageWith(100, `${GUIDE_FIELDS} ${POINT_FIELDS}`)),
    };
    expect(costs).toEqual({
      everyFieldPage: 7002,
      frontendPage: 520,
      servicesWithDepartments: 701,
      nestedPagesAttack: 102_020_100,
      withGuides: 7902,
      withGuidesAndPoints: 25_902,
    });
  });
});
