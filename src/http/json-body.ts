import type { RequestHandler } from 'express';

/** BODY_LIMIT in bytes as body-parser reads it (`1mb` is 1,048,576); null for another form. */
export function bodyLimitBytes(limit: string): number | null {
  const match = /^(\d+)(b|kb|mb)?$/i.exec(limit);
  if (!match) return null;
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}

/** The content types read here; body-parser reads every other (charsets, `+json` types, case). */
const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);

/** A refusal as body-parser gives it (http-errors: status, statusCode, expose, type). */
function refusal(message: string, type: string): Error {
  return Object.assign(new Error(message), { status: 400, statusCode: 400, expose: true, type });
}

/**
 * body-parser's strict JSON parse: an empty body is `{}`, a body that is not an object or an
 * array is refused, a leading byte order mark is dropped (iconv-lite's UTF-8 decoding).
 */
export function parseStrictJson(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0) return {};
  const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/.exec(body)?.[1];
  if (first !== '{' && first !== '[') throw refusal('Unexpected token in JSON', 'entity.parse.failed');
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw Object.assign(error as Error, { status: 400, statusCode: 400, expose: true, type: 'entity.parse.failed' });
  }
}

/**
 * `express.json({ limit })` (`parser`) with a shorter way for what clients send: a POST of
 * `application/json` (UTF-8) without content encoding, of a stated length within the limit,
 * read in chunks and parsed as body-parser parses it (parseStrictJson); a body that cannot be
 * parsed or a request that ends before its length is a 400 passed on, as body-parser passes it.
 * Every other request (another type or charset, chunked, compressed, over the limit, already
 * read) goes to `parser` itself: the same 413s, 415s and 400s as before.
 */
export function jsonBody(limit: string, parser: RequestHandler): RequestHandler {
  const maxBytes = bodyLimitBytes(limit);
  return (req, res, next) => {
    const { headers } = req;
    const stated = headers['content-length'];
    const contentType = headers['content-type'];
    if (
      maxBytes === null ||
      req.method !== 'POST' ||
      stated === undefined ||
      contentType === undefined ||
      !PLAIN_JSON.has(contentType.toLowerCase()) ||
      headers['content-encoding'] !== undefined ||
      headers['transfer-encoding'] !== undefined ||
      Reflect.has(req, 'body') ||
      !req.socket?.readable ||
      (req.complete && !req.readable)
    ) {
      parser(req, res, next);
      return;
    }
    const length = Number(stated);
    if (!Number.isSafeInteger(length) || length > maxBytes) {
      parser(req, res, next);
      return;
    }
    req.body = undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onClose);
      if (error) {
        next(error);
        return;
      }
      try {
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received);
        req.body = parseStrictJson(body.toString('utf8'));
      } catch (parseError) {
        next(parseError);
        return;
      }
      next();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () =>
      settle(
        received === length ? undefined : refusal('request size did not match content length', 'request.size.invalid'),
      );
    const onError = (error: Error) => settle(Object.assign(error, { status: 400, statusCode: 400, expose: true }));
    const onClose = () => settle(refusal('request aborted', 'request.aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  };
}
