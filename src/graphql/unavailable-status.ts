import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/faults';

/**
 * A response carrying a "database unavailable" error (format-error.ts) is HTTP 503 with
 * Retry-After instead of 200, so that load balancers and clients can tell an outage from an
 * answer (and from a bug, which stays 200 with INTERNAL_SERVER_ERROR in the body).
 */
export function databaseUnavailableStatus<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, response }) {
          if (!errors.some((error) => isDatabaseUnavailable(unwrapResolverError(error)))) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}

/**
 * The error to throw when a request's context cannot be made because the database is
 * unavailable (a token's `dept` checked against the department table): 503 with Retry-After,
 * as for the same fault met while executing. Plugins do not see a request whose context
 * failed, so the status travels in the error's extensions. Other errors are returned as given.
 */
export function contextCreationError(error: unknown): unknown {
  if (!isDatabaseUnavailable(error)) return error;
  return new GraphQLError('database unavailable', {
    originalError: error instanceof Error ? error : undefined,
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      http: { status: 503, headers: new HeaderMap([['retry-after', String(DATABASE_RETRY_AFTER_SECONDS)]]) },
    },
  });
}
