import { createHash } from 'node:crypto';

const NAMESPACE = Buffer.from('6f1c2e4a8b3d4f5e9a7c1b2d3e4f5a6b', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5): the same name gives the same id on every
 * install, so seeded departments and services keep their ids across databases.
 */
export function stableId(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
