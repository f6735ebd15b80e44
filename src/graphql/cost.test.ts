import { buildSchema, getOperationAST, parse } from 'graphql';
import { operationCost, unsizedListFields, type CostOptions } from '../core/cost';
import { LIST_SIZES } from './list-sizes';
import { getSchema } from './schema';
import { costOf } from './armor';

const schema = buildSchema(`
  type Query {
    items(first: Int = 20): ItemConnection!
    tags: [Tag!]!
    item: Item
    named: Named
  }
  type Mutation { touch: Item }
  type ItemConnection { edges: [ItemEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type ItemEdge { cursor: String! node: Item! }
  type PageInfo { hasNextPage: Boolean! }
  interface Named { name: String! }
  type Item implements Named { id: ID! name: String! owner: Tag children(first: Int): ItemConnection! tags: [Tag!]! }
  type Tag implements Named { name: String! items(first: Int = 5): [Item!]! }
`);
const options: CostOptions = { maxPageSize: 100, listSizes: { 'Query.tags': () => 7 }, defaultListSize: 3 };

function cost(
  source: string,
  variables: Record<string, unknown> = {},
  extra: Partial<CostOptions> = {},
): number | null {
  const document = parse(source);
  return operationCost(schema, document, getOperationAST(document)!, variables, { ...options, ...extra });
}

describe('operationCost', () => {
  it('counts every object of the result, a page of n as n edges and n nodes', () => {
    // connection 1 + pageInfo 1 + 10 × (edge 1 + node 1 + owner 1)
    expect(
      cost('{ items(first: 10) { totalCount pageInfo { hasNextPage } edges { cursor node { id owner { name } } } } }'),
    ).toBe(32);
  });

  it('reads first from a literal, a variable, the argument default, or the largest page', () => {
    const query = 'query($n: Int) { items(first: $n) { edges { node { id } } } }';
    expect(cost('{ items(first: 50) { edges { node { id } } } }')).toBe(101);
    expect(cost(query, { n: 50 })).toBe(101);
    expect(cost(query, {})).toBe(41); // default 20
    expect(cost(query, { n: null })).toBe(41); // null means the default
    expect(cost('query($n: Int) { item { children(first: $n) { edges { node { id } } } } }', {})).toBe(202); // no default: 100
    expect(cost(query, { n: 5000 })).toBe(201); // above the largest page: the field refuses it; counted as 100
  });

  it('multiplies nested pages (the attack: pages inside pages, sized by a variable)', () => {
    const nested = `query($n: Int) { tags { items(first: $n) { children(first: $n) { edges { node { children(first: $n) {
      edges { node { id name } } } } } } } } }`;
    // 7 tags × (1 + n items × (1 + children (1 + n × (edge 1 + node 1 + children (1 + n × 2)))))
    const n = 100;
    expect(cost(nested, { n })).toBe(7 * (1 + n * (2 + n * (3 + 2 * n))));
    const aliased = `query($n: Int) { ${['a', 'b', 'c', 'd'].map((a) => `${a}: tags { items(first: $n) { id } }`).join(' ')} }`;
    expect(cost(aliased, { n })).toBe(4 * 7 * (1 + n));
  });

  it('sizes lists without first by the table, else by the default', () => {
    expect(cost('{ tags { name } }')).toBe(7);
    expect(cost('{ item { tags { name } } }')).toBe(1 + 3);
    expect(cost('{ tags { items { id } } }')).toBe(7 * (1 + 5));
  });

  it("passes the parent field to list sizes (a list sized by its parent's arguments)", () => {
    const listSizes = {
      'Item.tags': (_: unknown, parent: { key: string } | null) => (parent?.key === 'Query.item' ? 9 : 0),
    };
    expect(cost('{ item { tags { name } } }', {}, { listSizes })).toBe(1 + 9);
  });

  it('merges fields by response key as execution does: repeats and fragments count once', () => {
    const once = cost('{ items(first: 10) { edges { node { owner { name } } } } }');
    expect(
      cost(
        '{ items(first: 10) { edges { node { owner { name } } } } items(first: 10) { edges { node { owner { name } } } } }',
      ),
    ).toBe(once);
    expect(
      cost(
        '{ items(first: 10) { edges { node { ...F ...F owner { name } } } } } fragment F on Item { owner { name } }',
      ),
    ).toBe(once);
    expect(cost('{ a: item { id } b: item { id } }')).toBe(2);
  });

  it('honours @skip and @include with variables', () => {
    const query =
      'query($big: Boolean!) { item { id } items(first: 100) @include(if: $big) { edges { node { id } } } }';
    expect(cost(query, { big: false })).toBe(1);
    expect(cost(query, { big: true })).toBe(1 + 201);
    expect(cost('{ item @skip(if: true) { id } }')).toBe(0);
  });

  it('takes the largest of the possible types of an abstract field', () => {
    expect(cost('{ named { ... on Item { owner { name } tags { name } } ... on Tag { name } } }')).toBe(1 + 1 + 3);
  });

  it('counts nothing for scalars, __typename and introspection', () => {
    expect(cost('{ __typename a: __typename b: __typename }')).toBe(0);
    expect(cost('{ __schema { types { name fields { name type { name ofType { name } } } } } }')).toBe(0);
    expect(cost('{ __type(name: "Item") { fields { name } } item { id } }')).toBe(1);
  });

  it('is null when the variables do not coerce (execution refuses them) and counts mutations', () => {
    expect(cost('query($n: Int) { items(first: $n) { totalCount } }', { n: 'many' })).toBeNull();
    expect(cost('mutation { touch { owner { name } } }')).toBe(2);
  });

  it('stops counting past stopAbove, with a result above it', () => {
    const nested =
      'query($n: Int) { tags { items(first: $n) { children(first: $n) { edges { node { children(first: $n) { edges { node { id } } } } } } } } }';
    const counted = cost(nested, { n: 100 }, { stopAbove: 1000 });
    expect(counted).toBeGreaterThan(1000);
    expect(counted).toBeLessThan(cost(nested, { n: 100 })!);
  });
});

describe("the schema's list sizes", () => {
  it('size every list field of objects (by first, as edges of a connection, or in LIST_SIZES)', async () => {
    expect(unsizedListFields(await getSchema(), LIST_SIZES)).toEqual([]);
  });

  it('size demandTrends by its groups and points by the window and granularity', async () => {
    const schema = await getSchema();
    const query = `query($filter: DemandFilter!, $granularity: Granularity, $groupBy: [DemandDimension!]) {
      demandTrends(filter: $filter, granularity: $granularity, groupBy: $groupBy) { total points { signals } } }`;
    const filter = { from: '2026-01-01T00:00:00+08:00', to: '2026-01-31T00:00:00+08:00' }; // 30 city days
    expect(costOf(schema, query, { filter, granularity: 'DAY' })).toBe(1 + 30);
    expect(costOf(schema, query, { filter, granularity: 'DAY', groupBy: ['DISTRICT'] })).toBe(10 * (1 + 30));
    expect(
      costOf(schema, query, { filter: { ...filter, districtCode: '520103' }, groupBy: ['DISTRICT', 'KIND'] }),
    ).toBe(6 * (1 + 5)); // 5 weeks touched
    expect(costOf(schema, query, { filter: { ...filter, to: filter.from }, granularity: 'DAY' })).toBe(1 + 1); // refused by the field
    // Every dimension: 7,200 combinations, counted as at most 200 trends (only those present are returned).
    const threeWeeks = { from: filter.from, to: '2026-01-22T00:00:00+08:00' };
    const everySplit = ['CATEGORY', 'DISTRICT', 'AGE_BAND', 'KIND'];
    expect(costOf(schema, query, { filter: threeWeeks, granularity: 'DAY', groupBy: everySplit })).toBe(200 * (1 + 21));
  });
});
