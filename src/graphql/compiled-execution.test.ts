import {
  execute,
  GraphQLError,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  getOperationAST,
  parse,
  type ExecutionResult,
} from 'graphql';
import { CompiledQueries } from './compiled-execution';

class CodedError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'NOT_FOUND', id: 'x' } });
  }
}

const Item = new GraphQLObjectType({
  name: 'Item',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    name: { type: GraphQLString, resolve: (item: { name: string }) => Promise.resolve(item.name) },
    coded: {
      type: GraphQLString,
      resolve: () => {
        throw new CodedError('no such thing');
      },
    },
    plain: {
      type: GraphQLString,
      resolve: () => Promise.reject(new Error('connection terminated')),
    },
    required: { type: new GraphQLNonNull(GraphQLString), resolve: () => null },
  },
});

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      items: {
        type: new GraphQLList(Item),
        args: { first: { type: GraphQLInt } },
        resolve: (_root, { first }: { first?: number }) =>
          [
            { id: '1', name: 'one' },
            { id: '2', name: 'two' },
          ].slice(0, first ?? 2),
      },
    },
  }),
  mutation: new GraphQLObjectType({
    name: 'Mutation',
    fields: { touch: { type: GraphQLString, resolve: () => 'touched' } },
  }),
});

/** Runs `source` through graphql-js, and twice through CompiledQueries (compiled under test from the first run); the results as JSON. */
async function both(source: string, variables?: Record<string, unknown>) {
  const document = parse(source);
  const operation = getOperationAST(document)!;
  const queries = new CompiledQueries(schema);
  const run = () => queries.execute({ document, operation, operationName: undefined, variables, contextValue: {} });
  const reference = await execute({ schema, document, variableValues: variables });
  const first = await run();
  const second = await run();
  // As Apollo sends a result: errors, then data.
  const json = ({ errors, data }: ExecutionResult) => JSON.stringify({ errors, data });
  return {
    reference: json(reference),
    first: json(first),
    second: json(second),
    compiled: queries.compiledFor(document, operation) !== null,
    errors: second.errors ?? [],
  };
}

describe('compiled execution', () => {
  it('answers a query compiled as graphql-js does', async () => {
    const { reference, second, compiled } = await both('{ items(first: 2) { id name } }');
    expect(compiled).toBe(true);
    expect(second).toBe(reference);
  });

  it('locates resolver errors as graphql-js does: message, locations, path, extensions and original error', async () => {
    const source = `{
      items { id coded plain }
    }`;
    const { reference, first, second, errors } = await both(source);
    expect(first).toBe(reference);
    expect(second).toBe(reference);
    expect(errors).toHaveLength(4);
    for (const error of errors) expect(error).toBeInstanceOf(GraphQLError);
    const coded = errors.find((e) => e.message === 'no such thing')!;
    expect(coded.originalError).toBeInstanceOf(CodedError);
    expect(coded.extensions).toEqual({ code: 'NOT_FOUND', id: 'x' });
    expect(coded.locations).toEqual([{ line: 2, column: 18 }]);
    const plain = errors.find((e) => e.message === 'connection terminated')!;
    expect(plain.originalError?.message).toBe('connection terminated');
    expect(plain.extensions).toEqual({});
  });

  it('reports a null in a non-null field as graphql-js does', async () => {
    const { reference, second } = await both('{ items { id required } }');
    expect(second).toBe(reference);
  });

  it('leaves variables that do not coerce, and mutations, to graphql-js', async () => {
    const bad = await both('query ($n: Int) { items(first: $n) { id } }', { n: 'many' });
    expect(bad.second).toBe(bad.reference);
    const good = await both('query ($n: Int) { items(first: $n) { id } }', { n: 1 });
    expect(good.second).toBe(good.reference);
    expect(good.compiled).toBe(true);
    const mutation = await both('mutation { touch }');
    expect(mutation.second).toBe(mutation.reference);
  });
});
