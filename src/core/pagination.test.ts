import { GraphQLError } from 'graphql';
import { buildPage, CursorCodec } from './pagination';

describe('CursorCodec', () => {
  const codec = new CursorCodec('secret');
  it('round-trips a position to the next offset', () => {
    expect(codec.decode('services', codec.encode('services', 19))).toBe(20);
    expect(codec.decode('services', null)).toBe(0);
  });
  it('refuses cursors it did not issue, or issued for another listing', () => {
    const forged = Buffer.from('services:5:AAAAAAAAAAAAAAAA').toString('base64url');
    for (const cursor of [forged, 'garbage', '', codec.encode('department-services:x', 3), new CursorCodec('other').encode('services', 1)]) {
      expect(() => codec.decode('services', cursor)).toThrow(GraphQLError);
    }
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
