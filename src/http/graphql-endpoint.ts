import http from 'node:http';
import { parse as parseUrl } from 'node:url';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Apollo Server's request handler for Express, as `@as-integrations/express5` writes it: the
 * request's headers, query string and parsed body to `executeHTTPGraphQLRequest`, its status,
 * headers and body back through `res.send` (Content-Length, ETag, 304 when fresh). The query
 * string is read without `url.parse` when the URL has none.
 */
export function apolloHandler<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  context: (args: { req: Request; res: Response }) => Promise<TContext>,
): RequestHandler {
  server.assertStarted('apolloHandler()');
  return async (req, res) => {
    if (!('body' in req)) {
      res.status(500);
      res.send(
        '`req.body` is not set; this probably means you forgot to set up the ' +
          '`json` middleware before the Apollo Server middleware.',
      );
      return;
    }
    const headers = new HeaderMap();
    const given = req.headers;
    for (const key in given) {
      const value = given[key];
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: req.method.toUpperCase(),
      headers,
      search: req.url.includes('?') ? (parseUrl(req.url).search ?? '') : '',
      body: req.body,
    };
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () => context({ req, res }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status || 200;
    if (response.body.kind === 'complete') {
      res.send(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) {
      res.write(chunk);
      const flush = (res as unknown as { flush?: () => void }).flush;
      if (typeof flush === 'function') flush.call(res);
    }
    res.end();
  };
}

/**
 * A middleware that sets the same headers on every response (helmet's), replayed: it runs once,
 * at start, on a response that records what it sets and removes, and each request gets those
 * calls in that order. A middleware that does not pass on at once is used as it is.
 */
export function replayedHeaders(middleware: RequestHandler): RequestHandler {
  const calls: [name: string, value: number | string | readonly string[] | null][] = [];
  const recorder = {
    locals: {},
    getHeader: () => undefined,
    setHeader(name: string, value: number | string | readonly string[]) {
      calls.push([name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      calls.push([name, null]);
    },
  };
  let passed = false;
  middleware(
    { method: 'GET', url: '/', headers: {} } as Request,
    recorder as unknown as Response,
    (error?: unknown) => {
      passed = !error;
    },
  );
  if (!passed) return middleware;
  return (_req, res, next) => {
    for (const [name, value] of calls) {
      if (value === null) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    next();
  };
}

/**
 * Request and response classes for `http.createServer` whose instances have Express's
 * prototypes (`app.request`, `app.response`) from their construction, so that `directPath` need
 * not change the prototype of each request and response. Changing an object's prototype
 * (`Object.setPrototypeOf`, as Express's own `app.handle` does) makes V8 keep it, and what it
 * references, through the young generation's collections until a full collection: on a server
 * doing nothing else, about 2 kB promoted to the old generation per request against none
 * without it (docs/benchmarks.md, "What survives the scavenges").
 */
export function expressMessages(app: Express): {
  IncomingMessage: typeof http.IncomingMessage;
  ServerResponse: typeof http.ServerResponse;
} {
  class ExpressRequest extends http.IncomingMessage {}
  Object.setPrototypeOf(ExpressRequest.prototype, app.request);
  class ExpressResponse extends http.ServerResponse {}
  Object.setPrototypeOf(ExpressResponse.prototype, app.response);
  // A ServerResponse of plain IncomingMessages, as createServer makes them (its generic asks for any subtype).
  return { IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse as typeof http.ServerResponse };
}

/**
 * A path served without Express's router: a request whose path is exactly `path` (query string
 * aside) runs `steps` in order, as Express would run them mounted there, then `onError` for an
 * error one of them passes on; the function answers false for any other request (Express's).
 * The request and response get Express's prototypes and locals as `app.handle` gives them, so
 * the steps are the very middleware the Express app mounts (helmet, the request log, the body
 * parser), and `res.send`, `req.ip` and the rest behave as on any Express route. What this
 * skips is the router: the match of every middleware and route mounted before `path`.
 */
export function directPath(
  app: Express,
  path: string,
  steps: readonly RequestHandler[],
  onError: ErrorRequestHandler,
): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  return (incoming, outgoing) => {
    const url = incoming.url ?? '';
    if (!url.startsWith(path) || (url.length !== path.length && url[path.length] !== '?')) {
      return false;
    }
    if (app.enabled('x-powered-by')) outgoing.setHeader('X-Powered-By', 'Express');
    // Made by expressMessages' classes, they have Express's prototypes already.
    const req = (
      app.request.isPrototypeOf(incoming) ? incoming : Object.setPrototypeOf(incoming, app.request)
    ) as Request;
    const res = (
      app.response.isPrototypeOf(outgoing) ? outgoing : Object.setPrototypeOf(outgoing, app.response)
    ) as Response;
    req.res = res;
    res.req = req;
    req.originalUrl = url;
    res.locals ??= Object.create(null) as Response['locals'];

    const failed = (error: unknown) => {
      let handled = false;
      try {
        onError(error, req, res, (passed?: unknown) => {
          handled = true;
          unhandled(app, req, res, passed ?? error);
        });
      } catch (thrown) {
        if (!handled) unhandled(app, req, res, thrown);
      }
    };
    const run = (index: number) => {
      const step = steps[index];
      if (!step) return;
      let called = false;
      const next: NextFunction = (error?: unknown) => {
        if (called) return;
        called = true;
        if (error) failed(error);
        else run(index + 1);
      };
      try {
        const result = step(req, res, next) as unknown;
        if (result instanceof Promise)
          result.then(undefined, (error: unknown) => next(error ?? new Error('Rejected promise')));
      } catch (error) {
        next(error);
      }
    };
    run(0);
    return true;
  };
}

/**
 * What Express's final handler does with an error no handler answered: logs it (but under
 * test), then drops the connection when the answer is under way, else answers 500.
 */
function unhandled(app: Express, req: Request, res: Response, error: unknown): void {
  if (app.get('env') !== 'test') console.error((error as Error | undefined)?.stack ?? String(error));
  if (res.headersSent) {
    req.socket?.destroy();
    return;
  }
  res.statusCode = 500;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end('Internal Server Error');
}
