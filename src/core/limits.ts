/** Longest free text accepted anywhere (requests, comments, search). */
export const MAX_TEXT_LENGTH = 2000;
/** Most signals in one recordSignals call. */
export const MAX_SIGNAL_BATCH = 500;
/** Dates accepted in any argument: from the Unix epoch to before 2100 (UTC). */
export const EARLIEST_DATE = new Date('1970-01-01T00:00:00Z');
export const LATEST_DATE = new Date('2100-01-01T00:00:00Z');
/**
 * Most words of a catalogue search that are searched (its first ones): PostgreSQL matches and
 * ranks every service against each, so 2,000 distinct characters took seconds (docs/security.md).
 */
export const MAX_SEARCH_TERMS = 32;
/**
 * A SEARCH signal's verdict (met or unmet demand) reads the first characters of its text: a
 * search box's query is a few words, and understanding 2,000 characters took 85 ms.
 */
export const MAX_SEARCH_UNDERSTOOD = 200;
/**
 * A request's understanding (matchRequest, submitRequest, an Open311 description, the need of
 * an unmet request) reads the first characters of its text; the whole text is stored. The
 * labelled requests of test/eval are at most 132 characters long; 2,000 random characters took
 * 84 ms of CPU to understand, most of it the sound-alike typo search over every character.
 */
export const MAX_REQUEST_UNDERSTOOD = 500;
/** Characters of different searches one recordSignals batch may ask to understand (about 0.5 s). */
export const MAX_BATCH_SEARCH_CHARACTERS = 10_000;
/**
 * Root fields of one operation that may match or search a free text (matchRequest,
 * submitRequest, a services search, recordSignals with searches): aliases multiplied their
 * work (twenty anonymous matchRequest of 2,000 characters took 1.8 s of CPU).
 */
export const MAX_FREE_TEXT_FIELDS = 2;

/**
 * Subscriptions over WebSocket (/graphql, graphql-ws): a client needs one (notificationAdded)
 * per connection, and a person a few connections (an app on a phone, a tab or two). Each
 * subscription keeps a request context and a listener: 20,000 on one connection of one citizen
 * (3.5 s, 2 MB sent) ran `npm start`'s 240 MB heap out of memory and the process died.
 */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 10;
/** WebSocket connections one caller (the token's subject) may hold open at once, per process. */
export const MAX_CONNECTIONS_PER_CALLER = 10;

/**
 * The longest operation name kept where it is repeated per request (a log line, a metrics
 * label): a name is one token of any length, and one anonymous request of a 500 kB name wrote a
 * 500 kB log line.
 */
export const MAX_RECORDED_OPERATION_NAME = 64;
