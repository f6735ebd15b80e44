import { refusedAddress, refusedDestination, refusedHost } from './webhook-address';

describe('webhook addresses', () => {
  it('allows public unicast addresses only', () => {
    expect(refusedAddress('8.8.8.8')).toBeNull();
    expect(refusedAddress('2606:4700::1111')).toBeNull();
    expect(refusedAddress('169.254.169.254')).toBe('linkLocal');
    expect(refusedAddress('127.0.0.1')).toBe('loopback');
    expect(refusedAddress('10.1.2.3')).toBe('private');
    expect(refusedAddress('172.16.0.1')).toBe('private');
    expect(refusedAddress('192.168.1.1')).toBe('private');
    expect(refusedAddress('100.64.0.1')).toBe('carrierGradeNat');
    expect(refusedAddress('0.0.0.0')).toBe('unspecified');
    expect(refusedAddress('::1')).toBe('loopback');
    expect(refusedAddress('fe80::1')).toBe('linkLocal');
    expect(refusedAddress('fd00::1')).toBe('uniqueLocal');
    // IPv4 carried in IPv6: read as the IPv4 address, or refused as a form that carries one.
    expect(refusedAddress('::ffff:127.0.0.1')).toBe('loopback');
    expect(refusedAddress('2002:7f00:1::1')).toBe('6to4');
  });

  it("reads the URL's host as the URL parser normalises it, and localhost names as loopback", () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f000001/',
      'http://127.1/',
      'http://[::1]:8080/',
      'http://a.localhost/',
    ]) {
      expect(refusedHost(new URL(url), false)).toBe('loopback');
    }
    expect(refusedHost(new URL('https://hooks.example.org/x'), false)).toBeNull();
    expect(refusedHost(new URL('http://127.0.0.1/'), true)).toBeNull();
  });

  it('refuses a delivery to a name that resolves to a private address now, and leaves an unresolvable one to the request', async () => {
    const resolvesTo = (addresses: string[]) => async () => addresses;
    const url = new URL('https://hooks.example.org/x');
    expect(await refusedDestination(url, false, resolvesTo(['93.184.215.14']))).toBeNull();
    expect(await refusedDestination(url, false, resolvesTo(['93.184.215.14', '10.0.0.5']))).toBe('private');
    expect(await refusedDestination(url, true, resolvesTo(['10.0.0.5']))).toBeNull();
    const fails = async (): Promise<string[]> => {
      throw new Error('ENOTFOUND');
    };
    expect(await refusedDestination(url, false, fails)).toBeNull();
    expect(await refusedDestination(new URL('http://169.254.169.254/'), false, fails)).toBe('linkLocal');
  });
});
