import type { ApolloServerPlugin } from '@apollo/server';
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
