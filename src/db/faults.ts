import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/** Retry-After (seconds) of a refusal because the database is unavailable (HTTP 503). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** SQLSTATE classes and codes that mean "the database is not there", not "the query is wrong". */
const UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '55000', // object_not_in_prerequisite_state: database not accepting connections
  '53300', // too_many_connections
  '57014', // query_canceled (statement_timeout)
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|EPIPE|Client has encountered a connection error|Connection is closed|not currently accepting connections|the database system is (starting up|shutting down)|Query read timeout/i;

/** True when `error` (or its cause) says the database is unreachable or gone. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // TypeORM releases a query runner whose connection emits an error (the server ended it
  // mid-transaction); the transaction's next statement then fails with one of these,
  // without the cause.
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError)
    return true;
  type Link = { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; originalError?: unknown };
  for (let e = error as Link | undefined, i = 0; e && i < 5; i += 1) {
    if (
      typeof e.code === 'string' &&
      (UNAVAILABLE_CODES.has(e.code) ||
        e.code.startsWith('08') ||
        /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT)$/.test(e.code))
    ) {
      return true;
    }
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    // originalError: Apollo's wrapper of an error thrown while the request's context was made.
    e = (e.driverError ?? e.cause ?? e.originalError) as Link | undefined;
  }
  return false;
}
