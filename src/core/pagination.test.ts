import { GraphQLError } from 'graphql';
import { CursorCodec } from './pagination';

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
