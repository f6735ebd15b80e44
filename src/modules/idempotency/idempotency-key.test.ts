import { idempotencyKeyOf, requestFingerprint } from './idempotency-key';

describe('idempotencyKeyOf', () => {
  it('takes the header or the argument, and both when they agree', () => {
    expect(idempotencyKeyOf(undefined, undefined)).toBeNull();
    expect(idempotencyKeyOf(undefined, null)).toBeNull();
    expect(idempotencyKeyOf('k-1', undefined)).toBe('k-1');
    expect(idempotencyKeyOf(undefined, 'k-2')).toBe('k-2');
    expect(idempotencyKeyOf('k-3', 'k-3')).toBe('k-3');
  });

  it.each([
    ['differing header and argument', 'a', 'b', /differ/],
    ['an empty key', undefined, '', /1 to 255/],
    ['a space', 'a b', undefined, /1 to 255/],
    ['a non-ASCII character', undefined, '键', /1 to 255/],
    ['256 characters', 'x'.repeat(256), undefined, /1 to 255/],
  ])('refuses %s as BAD_USER_INPUT naming idempotencyKey', (_case, header, argument, message) => {
    try {
      idempotencyKeyOf(header, argument);
      throw new Error('accepted');
    } catch (error) {
      const { extensions } = error as { extensions: { code: string; validationErrors: { property: string }[] } };
      expect(extensions.code).toBe('BAD_USER_INPUT');
      expect(extensions.validationErrors[0].property).toBe('idempotencyKey');
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same operation and input, whatever the key order and absent or null fields', () => {
    const a = requestFingerprint('submitRequest', { text: '社保卡', districtCode: '520103', categoryCode: null });
    const b = requestFingerprint('submitRequest', { districtCode: '520103', text: '社保卡' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs with any field, nested value or the operation', () => {
    const fingerprint = (operation: string, title: string, tags: string[], minAge: number) =>
      requestFingerprint(operation, { title, tags, eligibility: { minAge } });
    const base = fingerprint('createProposal', 'a', ['x', 'y'], 60);
    expect(fingerprint('createProposal', 'b', ['x', 'y'], 60)).not.toBe(base);
    expect(fingerprint('createProposal', 'a', ['y', 'x'], 60)).not.toBe(base);
    expect(fingerprint('createProposal', 'a', ['x', 'y'], 61)).not.toBe(base);
    expect(fingerprint('submitRequest', 'a', ['x', 'y'], 60)).not.toBe(base);
  });
});
