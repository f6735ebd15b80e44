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

/**
 * Checked before each delivery: every address the host resolves to now (a name may have been
 * pointed at a private address since it was registered). A name that does not resolve is left
 * to the request, which fails as it would.
 */
export async function refusedDestination(
  url: URL,
  allowPrivate: boolean,
  resolve: (host: string) => Promise<string[]> = resolveAll,
): Promise<string | null> {
  const own = refusedHost(url, allowPrivate);
  if (own || allowPrivate || ipaddr.isValid(hostOf(url))) return own;
  let addresses: string[];
  try {
    addresses = await resolve(hostOf(url));
  } catch {
    return null;
  }
  for (const address of addresses) {
    const range = refusedAddress(address);
    if (range) return range;
  }
  return null;
}

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((entry) => entry.address);
}
