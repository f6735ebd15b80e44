import {
  execute,
  getOperationAST,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  parse,
} from 'graphql';
import { coerceVariables, reuseCoercedVariablesInExecution } from './variables';

let parsed = 0;
const Counted = new GraphQLScalarType({
  name: 'Counted',
  parseValue(value) {
    parsed += 1;
    if (typeof value !== 'number') throw new TypeError('not a number');
    return value * 10;
  },
});
const Item = new GraphQLInputObjectType({ name: 'Item', fields: { at: { type: new GraphQLNonNull(Counted) } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt, resolve: () => 1 } } }),
  mutation: new GraphQLObjectType({
    name: 'Mutation',
    fields: {
      record: {
        type: new GraphQLList(GraphQLInt),
        args: { items: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Item))) } },
        resolve: (_, args: { items: { at: number }[] }) => args.items.map((item) => item.at),
      },
    },
  }),
});
const document = parse('mutation Record($items: [Item!]!) { record(items: $items) }');
const operation = getOperationAST(document)!;

beforeAll(() => reuseCoercedVariablesInExecution());
beforeEach(() => {
  parsed = 0;
});

describe('variables coerced once per request', () => {
  it('execution takes the coercion made for the same raw variables and operation, and answers the same', async () => {
    const raw = { items: [{ at: 1 }, { at: 2 }, { at: 3 }] };
    expect(coerceVariables(schema, operation, raw).coerced).toEqual({ items: [{ at: 10 }, { at: 20 }, { at: 30 }] });
    expect(parsed).toBe(3);
    const result = await execute({ schema, document, variableValues: raw });
    expect(result).toEqual({ data: { record: [10, 20, 30] } });
    expect(parsed).toBe(3);
  });

  it('coerces variables nobody coerced before, as graphql-js does', async () => {
    const result = await execute({ schema, document, variableValues: { items: [{ at: 4 }] } });
    expect(result).toEqual({ data: { record: [40] } });
    expect(parsed).toBe(1);
  });

  it('does not take a coercion made for another schema', async () => {
    const raw = { items: [{ at: 5 }] };
    coerceVariables(new GraphQLSchema(schema.toConfig()), operation, raw);
    expect(parsed).toBe(1);
    expect(await execute({ schema, document, variableValues: raw })).toEqual({ data: { record: [50] } });
    expect(parsed).toBe(2);
  });

  it('leaves failed variables to graphql-js, which names every fault', async () => {
    const raw = { items: [{ at: 'x' }, { at: 2 }, { at: 'y' }] };
    // With at most one error, coerceVariables stops at the first fault.
    expect(coerceVariables(schema, operation, raw).errors?.map((e) => e.message)).toEqual([
      'Variable "$items" got invalid value "x" at "items[0].at"; Expected type "Counted". not a number',
      'Too many errors processing variables, error limit reached. Execution aborted.',
    ]);
    const result = await execute({ schema, document, variableValues: raw });
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((e) => e.message)).toEqual([
      'Variable "$items" got invalid value "x" at "items[0].at"; Expected type "Counted". not a number',
      'Variable "$items" got invalid value "y" at "items[2].at"; Expected type "Counted". not a number',
    ]);
  });
});
