import { createHash, timingSafeEqual } from 'node:crypto';
import type { Open311ApiKey } from '../../config';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Finds the client holding an API key. Keys are compared as SHA-256 digests (equal lengths)
 * with timingSafeEqual, against every configured key without stopping at a match, so the
 * time taken says nothing about how much of a key was right, or which one.
 */
export function apiKeyChecker(keys: readonly Open311ApiKey[]): (given: string | undefined) => string | null {
  const digests = keys.map((k) => ({ client: k.client, digest: digest(k.key) }));
  return (given) => {
    if (!given) return null;
    const candidate = digest(given);
    let client: string | null = null;
    for (const entry of digests) {
      if (timingSafeEqual(entry.digest, candidate)) client = entry.client;
    }
    return client;
  };
}
