import {
  Kind,
  parse,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from 'graphql';
import { selectedFieldNames, selectsField } from './selection';

/** The resolve info of the operation's first root field, as far as selectsField reads it. */
function infoOf(document: string): GraphQLResolveInfo {
  const parsed = parse(document);
  const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    parsed.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return {
    fieldNodes: [operation.selectionSet.selections[0] as FieldNode],
    fragments,
  } as unknown as GraphQLResolveInfo;
}

describe('selectsField', () => {
  it('finds a nested field selected directly', () => {
    expect(selectsField(infoOf('{ demandTrends { total points { signals citizens } } }'), ['points', 'citizens'])).toBe(
      true,
    );
  });

  it('does not find a field that is not asked for', () => {
    expect(selectsField(infoOf('{ demandTrends { total points { signals } } }'), ['points', 'citizens'])).toBe(false);
    expect(selectsField(infoOf('{ demandTrends { total } }'), ['points', 'citizens'])).toBe(false);
  });

  it('looks through named and inline fragments, and aliases do not hide a field', () => {
    const named =
      'query Q { demandTrends { ...T } } fragment T on DemandTrend { points { ...P } } fragment P on TrendPoint { who: citizens }';
    expect(selectsField(infoOf(named), ['points', 'citizens'])).toBe(true);
    const inline = '{ demandTrends { ... on DemandTrend { points { ... { citizens } } } } }';
    expect(selectsField(infoOf(inline), ['points', 'citizens'])).toBe(true);
  });

  it('does not loop on a fragment spread twice', () => {
    const twice = 'query Q { demandTrends { ...T ...T } } fragment T on DemandTrend { total }';
    expect(selectsField(infoOf(twice), ['points', 'citizens'])).toBe(false);
  });
});

describe('selectedFieldNames', () => {
  it('names the fields selected below the root field, through fragments, by their own names', () => {
    const document =
      'query Q { citizen(id: "x") { id b: birthYear ...F ... on Citizen { tags __typename } } } fragment F on Citizen { district { code } ...F }';
    expect(selectedFieldNames(infoOf(document))).toEqual(['birthYear', 'district', 'id', 'tags']);
  });
});

describe('selectedFieldNames at a path', () => {
  it('names the fields below a nested field, through fragments and every alias of each step', () => {
    const document = `query Q { services { a: edges { node { id ...N } } b: edges { node { stats { uses30d } } } } }
      fragment N on ServiceOffering { title department { name } }`;
    expect(selectedFieldNames(infoOf(document), ['edges', 'node'])).toEqual(['department', 'id', 'stats', 'title']);
  });

  it('is empty when the path is not selected', () => {
    expect(selectedFieldNames(infoOf('{ services { totalCount } }'), ['edges', 'node'])).toEqual([]);
  });
});
