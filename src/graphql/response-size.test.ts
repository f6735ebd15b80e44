import { GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString, GraphQLInt } from 'graphql';
import { fieldBytes, leafBytes } from './response-size';

const Thing = new GraphQLObjectType({ name: 'Thing', fields: { name: { type: GraphQLString } } });

describe('leafBytes', () => {
  it('is the JSON size of a leaf: UTF-8 strings with quotes, numbers, booleans, null, dates', () => {
    for (const value of ['', 'abc', '社保卡补办', 0, 12345, -1.5, true, false, null, ['a', '医保'], []]) {
      expect(leafBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value)) + (Array.isArray(value) && value.length > 0 ? 1 : 0));
    }
    expect(leafBytes(new Date('2026-12-05T16:40:52Z'))).toBe(JSON.stringify(new Date('2026-12-05T16:40:52Z')).length);
  });
});

describe('fieldBytes', () => {
  it('adds the key to a leaf, and only braces for an object or a list of objects (their fields count themselves)', () => {
    expect(fieldBytes('title', new GraphQLNonNull(GraphQLString), '医保')).toBe('"title":,'.length + 8);
    expect(fieldBytes('count', GraphQLInt, 42)).toBe('"count":,'.length + 2);
    expect(fieldBytes('thing', Thing, { name: 'x' })).toBe('"thing":,'.length + 2);
    expect(fieldBytes('things', new GraphQLList(Thing), [{}, {}])).toBe('"things":,'.length + 2 + 2 * 3);
    expect(fieldBytes('thing', Thing, null)).toBe('"thing":,'.length + 4);
  });
});
