import type { ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';

const CODE = 'RESPONSE_TOO_LARGE';

/**
 * The text the size check made of a result that has only `data`, by its data object, so that
 * Apollo sends that text rather than serializing the same result a second time.
 */
const measured = new WeakMap<object, string>();

/**
 * Apollo's `stringifyResult`: the text measured by the size check when the result is still
 * the one it measured (data only), else JSON as Apollo writes it.
 */
export function stringifyMeasuredResult(result: FormattedExecutionResult): string {
  const { data } = result;
  if (result.errors === undefined && result.extensions === undefined && typeof data === 'object' && data !== null) {
    const text = measured.get(data);
    if (text !== undefined) return `${text}\n`;
  }
  return `${JSON.stringify(result)}\n`;
}

/**
 * The last line behind the cost limit: a response larger than `maxBytes` is not sent but
 * replaced by one error, 400 RESPONSE_TOO_LARGE. Measured once execution is over by
 * serializing the result (2.5 ms for a 290 kB page; walking it in JavaScript was 15 times
 * slower, and a hook per resolved field slowed every request). Execution is not cut short:
 * the cost limit bounds what is built, and failing the fields still to resolve would make
 * graphql-js 16 drop the promises of sibling list items, whose rejections would then go
 * unhandled. Listed before the other plugins that read the response (src/server.ts), so that
 * none caches or counts the oversized one. The text is kept for `stringifyMeasuredResult`
 * (serializing a page twice was 2% of an uncached page's CPU).
 */
export function responseSizeLimit(maxBytes: number, exposeLimits: boolean): ApolloServerPlugin {
  const message =
    `The response is too large${exposeLimits ? ` (more than ${maxBytes} bytes)` : ''}: ` +
    'ask for smaller pages (first) or fewer fields.';
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const text = JSON.stringify(result);
          // UTF-8 takes one to three bytes per UTF-16 unit: byteLength only when it can matter.
          if (text.length * 3 <= maxBytes || (text.length <= maxBytes && Buffer.byteLength(text) <= maxBytes)) {
            // Apollo's result carries `errors: undefined` beside `data`: the text is the same.
            const { data } = result;
            const onlyData = Object.entries(result).every(([key, value]) => key === 'data' || value === undefined);
            if (onlyData && typeof data === 'object' && data !== null) measured.set(data, text);
            return;
          }
          response.body = { kind: 'single', singleResult: { errors: [{ message, extensions: { code: CODE } }] } };
          response.http.status = 400;
        },
      };
    },
  };
}
