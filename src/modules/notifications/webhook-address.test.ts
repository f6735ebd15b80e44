import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  guardedLookup,
  refusedAddress,
  refusedHost,
  RefusedDestinationError,
  type ResolvedAddress,
} from './webhook-address';

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

  describe('the lookup of every connection', () => {
    let server: Server;
    let port: number;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((_, response) => response.end('ok'));
      server.on('connection', () => (connections += 1));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    /** A GET of a name through `lookup`: its status, or the error the connection failed with. */
    const get = (lookup: ReturnType<typeof guardedLookup>) =>
      new Promise<number | Error>((resolve) => {
        const req = request(`http://hooks.example.org:${port}/`, { lookup: lookup as never, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', resolve);
        req.end();
      });

    /** Public the first time a name is asked for, then loopback: a rebinding DNS. */
    const rebinding = () => {
      let asked = 0;
      return async (_host: string): Promise<ResolvedAddress[]> =>
        asked++ === 0 ? [{ address: '93.184.215.14', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    };

    it('refuses to connect to the private address a name resolves to, whatever it said before', async () => {
      const resolve = rebinding();
      await resolve('hooks.example.org'); // what a check before the request would have seen
      const before = connections;
      const outcome = await get(guardedLookup(false, resolve));
      expect(outcome).toBeInstanceOf(RefusedDestinationError);
      expect((outcome as RefusedDestinationError).range).toBe('loopback');
      expect(connections).toBe(before);
    });

    it('refuses when any of the addresses is private, and connects where private addresses are allowed', async () => {
      const mixed = async (): Promise<ResolvedAddress[]> => [
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ];
      expect(await get(guardedLookup(false, mixed))).toBeInstanceOf(RefusedDestinationError);
      const loopback = async (): Promise<ResolvedAddress[]> => [{ address: '127.0.0.1', family: 4 }];
      expect(await get(guardedLookup(true, loopback))).toBe(200);
    });

    it('passes on a name that does not resolve as the request error it is', async () => {
      const fails = async (): Promise<ResolvedAddress[]> => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND hooks.example.org'), { code: 'ENOTFOUND' });
      };
      const outcome = await get(guardedLookup(false, fails));
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
    });
  });
});
