import { GraphQLError } from 'graphql';
import { buildPage, connectionOf, CursorCodec, MAX_PAGE_SIZE, pageRequest, PaginationArgs } from './pagination';

describe('CursorCodec', () => {
  const codec = new CursorCodec('secret');
  it('round-trips a position to the next offset', () => {
    expect(codec.decode('services', codec.encode('services', 19))).toBe(20);
    expect(codec.decode('services', null)).toBe(0);
  });
  it('refuses cursors it did not issue, or issued for another listing', () => {
    const forged = Buffer.from('services:5:AAAAAAAAAAAAAAAA').toString('base64url');
    for (const cursor of [
      forged,
      'garbage',
      '',
      codec.encode('department-services:x', 3),
      new CursorCodec('other').encode('services', 1),
    ]) {
      expect(() => codec.decode('services', cursor)).toThrow(GraphQLError);
    }
  });
});

describe('pageRequest', () => {
  const codec = new CursorCodec('secret');
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as GraphQLError).extensions.code;
    }
    return 'no error';
  };

  it('starts at 0 with the default size when neither first nor after is given (null is the default too)', () => {
    expect(pageRequest(codec, 'proposals', {}, 20)).toEqual({ listing: 'proposals', offset: 0, limit: 20 });
    expect(pageRequest(codec, 'proposals', { first: null, after: null }, 50)).toEqual({
      listing: 'proposals',
      offset: 0,
      limit: 50,
    });
  });

  it('continues after the cursor, with the size asked for (0 and the maximum included)', () => {
    const after = codec.encode('proposals', 39);
    expect(pageRequest(codec, 'proposals', { first: 5, after }, 20)).toEqual({
      listing: 'proposals',
      offset: 40,
      limit: 5,
    });
    expect(pageRequest(codec, 'proposals', { first: 0 }, 20).limit).toBe(0);
    expect(pageRequest(codec, 'proposals', { first: MAX_PAGE_SIZE }, 20).limit).toBe(MAX_PAGE_SIZE);
  });

  it('refuses a size out of range or a cursor of another listing: BAD_USER_INPUT', () => {
    for (const first of [-1, MAX_PAGE_SIZE + 1, 2.5]) {
      expect(code(() => pageRequest(codec, 'proposals', { first }, 20))).toBe('BAD_USER_INPUT');
    }
    expect(code(() => pageRequest(codec, 'proposals', { after: codec.encode('services', 3) }, 20))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('reads the default of the arguments class', () => {
    expect(PaginationArgs(50).defaultFirst).toBe(50);
    class ProposalsArgs extends PaginationArgs(20) {}
    expect(ProposalsArgs.defaultFirst).toBe(20);
  });
});

describe('connectionOf', () => {
  const codec = new CursorCodec('secret');
  it('gives each node the cursor of its position, the next page starting after the last', () => {
    const page = pageRequest(codec, 'reports', { first: 2, after: codec.encode('reports', 1) }, 20);
    const connection = connectionOf(codec, page, { nodes: ['c', 'd'], hasNextPage: true, totalCount: 9 });
    expect(connection.edges.map((e) => e.node)).toEqual(['c', 'd']);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(connection.totalCount).toBe(9);
    expect(pageRequest(codec, 'reports', { first: 2, after: connection.pageInfo.endCursor }, 20).offset).toBe(4);
  });
});

describe('buildPage', () => {
  class CountingCodec extends CursorCodec {
    signed = 0;
    encode(listing: string, offset: number): string {
      this.signed += 1;
      return super.encode(listing, offset);
    }
  }

  it('signs no cursor until one is read, then each read one once, and they decode to the next offset', () => {
    const codec = new CountingCodec('secret');
    const page = buildPage(codec, 'services', ['a', 'b', 'c'], 20, true);
    expect(page.edges.map((edge) => edge.node)).toEqual(['a', 'b', 'c']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(codec.signed).toBe(0);
    expect(codec.decode('services', page.pageInfo.endCursor)).toBe(23);
    expect(page.edges[2].cursor).toBe(page.pageInfo.endCursor);
    expect(codec.signed).toBe(1);
    expect(codec.decode('services', page.edges[0].cursor)).toBe(21);
    expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
    expect(codec.signed).toBe(2);
  });

  it('has no cursors on an empty page', () => {
    const page = buildPage(new CursorCodec('secret'), 'services', [], 0, false);
    expect(page.pageInfo).toMatchObject({ startCursor: null, endCursor: null, hasPreviousPage: false });
  });
});
