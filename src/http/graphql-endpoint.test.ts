import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { directPath, expressMessages, replayedHeaders } from './graphql-endpoint';
import { bodyLimitBytes, jsonBody, parseStrictJson } from './json-body';

interface Sent {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(port: number, { path, method = 'POST', headers: given = {}, body }: Sent): Promise<Answer> {
  // A stated length unless sent in chunks (Node sends a GET's body with neither).
  const headers =
    body === undefined || given['transfer-encoding']
      ? given
      : { ...given, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = http.request({ port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const { date: _date, ...rest } = res.headers;
        resolve({ status: res.statusCode ?? 0, headers: rest, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * The server's arrangement in small: helmet, a request log, the JSON body and an echo of it
 * mounted on Express at /graphql, and the same served directly for /graphql exactly with the
 * replayed headers and jsonBody. `/graphql/` goes through Express's router, `/graphql` does not.
 * The requests and responses are made with Express's prototypes (expressMessages), as the
 * server makes them.
 */
async function startBoth(): Promise<{ port: number; close: () => Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  const headers = helmet();
  const log = (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('x-request-id', 'fixed');
    res.locals.seen = true;
    next();
  };
  const echo = (req: Request, res: Response) => {
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.send(JSON.stringify({ body: req.body as unknown, locals: res.locals.seen === true, ip: req.ip }));
  };
  const parser = express.json({ limit: '64b' });
  const errors = (error: { status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    res.status(error.status ?? 500).json({ errors: [{ message: 'refused' }] });
  };
  app.use(headers);
  app.use(log);
  // Express: helmet and body-parser themselves; directly: their replacements.
  app.use('/graphql', parser, echo);
  app.use('/graphql', errors);
  const direct = directPath(app, '/graphql', [replayedHeaders(headers), log, jsonBody('64b', parser), echo], errors);
  const server = http.createServer(expressMessages(app), (req, res) => {
    if (!direct(req, res)) app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('/graphql served without the router', () => {
  let server: Awaited<ReturnType<typeof startBoth>>;
  beforeAll(async () => {
    server = await startBoth();
  });
  afterAll(() => server.close());

  const json = { 'content-type': 'application/json' };
  const cases: [string, Omit<Sent, 'path'>][] = [
    ['a JSON body', { headers: json, body: '{"query":"{a}"}' }],
    ['with a query string', { headers: json, body: '{"query":"{a}"}' }],
    ['a charset given', { headers: { 'content-type': 'application/json; charset=UTF-8' }, body: '{"a":1}' }],
    ['a byte order mark', { headers: json, body: Buffer.from('\ufeff{"a":1}', 'utf8') }],
    ['an empty body', { headers: json, body: '' }],
    ['malformed JSON', { headers: json, body: '{"a":' }],
    ['a scalar', { headers: json, body: ' "a"' }],
    ['invalid UTF-8', { headers: json, body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) }],
    ['over the limit', { headers: json, body: `{"a":"${'x'.repeat(100)}"}` }],
    ['another charset', { headers: { 'content-type': 'application/json; charset=latin1' }, body: '{"a":1}' }],
    ['gzip', { headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync('{"a":1}') }],
    ['another type', { headers: { 'content-type': 'text/plain' }, body: '{"a":1}' }],
    ['a GET', { method: 'GET' }],
    ['a GET with a body', { method: 'GET', headers: json, body: '{"a":1}' }],
  ];

  it.each(cases)('answers %s as Express does', async (name, sent) => {
    const query = name === 'with a query string' ? '?x=1' : '';
    const viaExpress = await send(server.port, { ...sent, path: `/graphql/${query}` });
    const direct = await send(server.port, { ...sent, path: `/graphql${query}` });
    expect(direct).toEqual(viaExpress);
    expect(direct.headers['content-security-policy']).toBeDefined();
    expect(direct.headers['x-request-id']).toBe('fixed');
  });

  it('answers a body sent in chunks as Express does', async () => {
    const chunked = { headers: { ...json, 'transfer-encoding': 'chunked' }, body: '{"a":[1,2]}' };
    const direct = await send(server.port, { ...chunked, path: '/graphql' });
    expect(direct).toEqual(await send(server.port, { ...chunked, path: '/graphql/' }));
    expect(JSON.parse(direct.body)).toMatchObject({ body: { a: [1, 2] } });
  });

  it("changes the prototype of no request or response: they are made with Express's", async () => {
    const setPrototypeOf = jest.spyOn(Object, 'setPrototypeOf');
    const direct = await send(server.port, { headers: json, body: '{"a":1}', path: '/graphql' });
    const calls = setPrototypeOf.mock.calls.length;
    setPrototypeOf.mockRestore();
    expect(JSON.parse(direct.body)).toEqual({ body: { a: 1 }, locals: true, ip: '127.0.0.1' });
    expect(calls).toBe(0);
  });

  it('leaves every other path to Express', async () => {
    const other = await send(server.port, { path: '/graphqlx', method: 'GET' });
    expect(other.status).toBe(404);
  });
});

describe('parseStrictJson and bodyLimitBytes', () => {
  it('parses as body-parser does: {} for nothing, objects and arrays only, BOM dropped', () => {
    expect(parseStrictJson('')).toEqual({});
    expect(parseStrictJson('\ufeff[1]')).toEqual([1]);
    expect(parseStrictJson(' \n{"a":1}')).toEqual({ a: 1 });
    expect(() => parseStrictJson('1')).toThrow(expect.objectContaining({ status: 400 }) as Error);
    expect(() => parseStrictJson('{')).toThrow(expect.objectContaining({ status: 400 }) as Error);
  });

  it('reads sizes as body-parser does', () => {
    expect(bodyLimitBytes('1mb')).toBe(1024 * 1024);
    expect(bodyLimitBytes('512kb')).toBe(512 * 1024);
    expect(bodyLimitBytes('100000')).toBe(100000);
    expect(bodyLimitBytes('1gb')).toBeNull();
  });
});
