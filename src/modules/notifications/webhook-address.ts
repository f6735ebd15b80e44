import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Why a webhook address may not be posted to, or null when it may. Only public unicast
 * addresses are allowed unless `allowPrivate`: a webhook URL chosen by an administrator's
 * token must not reach the server's own network (loopback, private, link-local such as the
 * cloud metadata address 169.254.169.254, unique-local, carrier-grade NAT, reserved,
 * multicast, IPv6 forms that carry an IPv4 address).
 */
export function refusedAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return null;
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? null : range;
}

const LOCAL_NAME = /(^|\.)localhost\.?$/i;

/** The host of a URL as an address or a name (IPv6 without its brackets). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Checked when a webhook is registered: the URL's own host, without asking DNS. */
export function refusedHost(url: URL, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  const host = hostOf(url);
  if (LOCAL_NAME.test(host)) return 'loopback';
  return refusedAddress(host);
}

/** An address a name resolves to, as `dns.lookup` gives it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Why a connection was not made: the host resolved to an address of a refused range. */
export class RefusedDestinationError extends Error {
  constructor(readonly range: string) {
    super(`the host is a ${range} address`);
    this.name = 'RefusedDestinationError';
  }
}

type LookupCallback = (error: Error | null, address: string | ResolvedAddress[], family?: number) => void;

/**
 * A `lookup` for node:net connections that refuses, when any address the host resolves to is
 * refused (unless `allowPrivate`), with RefusedDestinationError. The addresses checked are the
 * ones connected to: there is no second resolution, which a name's DNS could answer with a
 * private address after a public one (rebinding).
 */
export function guardedLookup(
  allowPrivate: boolean,
  resolve: (host: string) => Promise<ResolvedAddress[]> = resolveAll,
) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const refused = allowPrivate ? null : addresses.map((a) => refusedAddress(a.address)).find(Boolean);
        if (refused) callback(new RefusedDestinationError(refused), []);
        else if (addresses.length === 0)
          callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
        else if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: Error) => callback(error, []),
    );
  };
}

async function resolveAll(host: string): Promise<ResolvedAddress[]> {
  return lookup(host, { all: true });
}
