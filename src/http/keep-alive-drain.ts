import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';

export interface KeepAliveDrain {
  /** Stops accepting connections and waits for the requests in flight (at most `graceMs`). */
  drain(): Promise<void>;
}

/**
 * Stops an HTTP server without losing an answer on a keep-alive connection. Apollo's drain
 * plugin ends (half-closes) a socket once its last response is sent: a client that reused the
 * socket meanwhile had its request read and run, and the answer was lost after the write
 * committed. Here, once draining: every response not yet under way says `Connection: close`
 * (the client opens a new connection for its next request, and Node closes this one after the
 * answer); idle keep-alive sockets are destroyed, not ended, so bytes arriving on them are never
 * read as a request (the client sees a reset and may retry: nothing ran); requests in flight
 * finish, and only past `graceMs` are their connections destroyed.
 */
export function keepAliveDrain(server: http.Server, options: { graceMs: number }): KeepAliveDrain {
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;
  const closeAfter = (res: http.ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (draining) closeAfter(res);
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // A response already under way when the drain began kept its connection alive.
      if (draining) server.closeIdleConnections();
    });
  });
  return {
    async drain() {
      draining = true;
      for (const res of inFlight) closeAfter(res);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), options.graceMs);
      try {
        await closed;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs the drain when Apollo stops (before it stops executing operations). */
export function drainPlugin<TContext extends object>(drain: KeepAliveDrain): ApolloServerPlugin<TContext> {
  return {
    async serverWillStart() {
      return { drainServer: () => drain.drain() };
    },
  };
}
