import type { ApolloServerPlugin } from '@apollo/server';
import { getNamedType, isLeafType, type GraphQLOutputType } from 'graphql';

const CODE = 'RESPONSE_TOO_LARGE';

/** Bytes a leaf value takes in the JSON response (strings as UTF-8, quotes counted, escapes not). */
export function leafBytes(value: unknown): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === 'string') return Buffer.byteLength(value) + 2;
  if (value instanceof Date) return 26; // "2026-12-05T16:40:52.000Z"
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + leafBytes(item) + 1, 2);
  return String(value).length;
}

/**
 * Bytes a resolved field adds to the JSON response: its key, and its value when it is a leaf
 * (or a list of leaves); an object's or a list's braces, the rest being counted as their own
 * fields resolve. Within a few percent of the serialized size (escapes are not counted).
 */
export function fieldBytes(responseKey: string, returnType: GraphQLOutputType, result: unknown): number {
  const key = responseKey.length + 4; // "key": and a comma
  if (isLeafType(getNamedType(returnType))) return key + leafBytes(result);
  if (Array.isArray(result)) return key + 2 + result.length * 3; // [ ], and { }, per item
  return key + (result === null || result === undefined ? 4 : 2);
}

/**
 * The last line behind the cost limit: a response larger than `maxBytes` is not sent. Bytes
 * are counted as fields resolve, without serializing anything, and the whole response is
 * replaced by one error, 400 RESPONSE_TOO_LARGE. Execution is not cut short: failing the
 * fields still to resolve would make graphql-js 16 drop the promises of sibling list items
 * whose rejections then go unhandled (which ends the process); the cost limit bounds what is
 * built. Listed before the other plugins that read the response (src/server.ts), so that
 * none caches or counts the oversized one.
 */
export function responseSizeLimit(maxBytes: number, exposeLimits: boolean): ApolloServerPlugin {
  const message =
    `The response is too large${exposeLimits ? ` (more than ${maxBytes} bytes)` : ''}: ` +
    'ask for smaller pages (first) or fewer fields.';
  return {
    async requestDidStart() {
      let bytes = 0;
      let exceeded = false;
      return {
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              if (exceeded) return;
              return (error, result) => {
                if (error || exceeded) return;
                bytes += fieldBytes(String(info.path.key), info.returnType, result);
                if (bytes > maxBytes) exceeded = true;
              };
            },
          };
        },
        async willSendResponse({ response }) {
          if (!exceeded) return;
          response.body = { kind: 'single', singleResult: { errors: [{ message, extensions: { code: CODE } }] } };
          response.http.status = 400;
        },
      };
    },
  };
}
