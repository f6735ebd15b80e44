import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { flattenValidationErrors } from '../core/validation';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/faults';

const KNOWN_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // Operation and response limits (src/graphql/armor.ts, response-size.ts, src/http/request-limits.ts).
  'QUERY_TOO_EXPENSIVE',
  'SUBSCRIPTIONS_NOT_SUPPORTED',
  'RESPONSE_TOO_LARGE',
  'VARIABLES_TOO_DEEP',
  'VARIABLES_TOO_LARGE',
  'TOO_MANY_SUBSCRIPTIONS',
]);

/**
 * Errors as clients see them: codes of our own errors kept; type-graphql's UNAUTHORIZED
 * (a role is missing) reported as FORBIDDEN; anything else is an internal error whose
 * message and details stay in the log ("database unavailable" when the database is
 * unreachable, so that clients can tell an outage from a bug).
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code as string | undefined;
    if (code === 'UNAUTHORIZED') {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'FORBIDDEN' } };
    }
    const cause = unwrapResolverError(error);
    if (cause instanceof ArgumentValidationError) return plainArgumentErrors(formatted, cause);
    if (code && KNOWN_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const unavailable = isDatabaseUnavailable(cause);
    logger.error({ err: cause, path: formatted.path }, unavailable ? 'database unavailable' : 'internal error');
    return {
      // Never the original message: it may carry SQL, table names or connection details.
      message: unavailable ? 'database unavailable' : 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/**
 * type-graphql's refusal of an argument by its class-validator rules, in the shape of our own
 * BAD_USER_INPUT: the rules' messages and field paths. Its own form ("Argument Validation
 * Error") echoed every argument sent, as `target` and `value`: kilobytes of text repeated.
 */
function plainArgumentErrors(formatted: GraphQLFormattedError, cause: ArgumentValidationError): GraphQLFormattedError {
  const validationErrors = flattenValidationErrors(cause.extensions.validationErrors);
  const messages = validationErrors.flatMap((e) => Object.values(e.constraints));
  return {
    message: messages.length > 0 ? messages.join('; ') : 'The arguments are not valid',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'BAD_USER_INPUT', validationErrors },
  };
}
