import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { verifyWebhook } from '../../src/modules/notifications/webhook-signature';

export interface ReceivedEvent {
  eventId: string;
  type: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The signature checks out under the receiver's secret. */
  verified: boolean;
  payload: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

export interface WebhookReceiver {
  url: string;
  /** Every request received, retries included, in order. */
  received: ReceivedEvent[];
  /** One per event id, as an integrator de-duplicating by event id keeps them. */
  unique(): ReceivedEvent[];
  /** Resolves when a request matching `match` has been received and answered 2xx. */
  waitFor(match: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1; `failFirst` requests answer 500 before the rest answer 204. */
export async function startWebhookReceiver(
  secret: string,
  options: { failFirst?: number } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedEvent[] = [];
  const accepted: ReceivedEvent[] = [];
  let remainingFailures = options.failFirst ?? 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(req.headers[name] ?? '');
      const event: ReceivedEvent = {
        eventId: header('x-minsheng-event-id'),
        type: header('x-minsheng-event-type'),
        timestamp: header('x-minsheng-timestamp'),
        signature: header('x-minsheng-signature'),
        body,
        verified: verifyWebhook({
          secret,
          body,
          timestamp: header('x-minsheng-timestamp'),
          signature: header('x-minsheng-signature'),
        }),
        payload: JSON.parse(body),
      };
      received.push(event);
      if (remainingFailures > 0) {
        remainingFailures -= 1;
        res.writeHead(500).end('not now');
        return;
      }
      accepted.push(event);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    unique: () => [...new Map(accepted.map((e) => [e.eventId, e])).values()],
    async waitFor(match, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = accepted.find(match);
        if (found) return found;
        if (Date.now() > until)
          throw new Error(`no webhook event matched in ${timeoutMs} ms (received ${received.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface NotificationStream {
  received: Record<string, any>[];
  waitFor(match: (n: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  close(): Promise<void>;
}

const NOTIFICATION_ADDED = 'subscription { notificationAdded { id kind requestId serviceId message createdAt } }';

function wsUrlOf(graphqlUrl: string): string {
  return graphqlUrl.replace(/^http/, 'ws');
}

/** A graphql-ws client subscribed to notificationAdded with `token`; resolves once the server has accepted the connection. */
export async function subscribeToNotifications(graphqlUrl: string, token: string): Promise<NotificationStream> {
  const received: Record<string, any>[] = [];
  let failure: unknown = null;
  let connected!: () => void;
  let refused!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    connected = resolve;
    refused = reject;
  });
  const client: Client = createClient({
    url: wsUrlOf(graphqlUrl),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    on: { connected: () => connected(), closed: (event) => refused(event) },
    onNonLazyError: (error) => refused(error),
  });
  client.subscribe(
    { query: NOTIFICATION_ADDED },
    {
      next: (result) => {
        if (result.data?.notificationAdded) received.push(result.data.notificationAdded as Record<string, any>);
      },
      error: (error) => {
        failure = error;
      },
      complete: () => undefined,
    },
  );
  await ready;
  // The subscription message follows connection_ack; give the server a moment to register it.
  await new Promise((r) => setTimeout(r, 100));
  return {
    received,
    async waitFor(match, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (failure) throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
        if (Date.now() > until)
          throw new Error(`no notification matched in ${timeoutMs} ms (received ${received.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => client.dispose() as Promise<void>,
  };
}

/** How the server answers a connection_init with `token`: the close code when refused, else 'connected'. */
export async function connectionOutcome(
  graphqlUrl: string,
  params: Record<string, unknown>,
): Promise<number | 'connected'> {
  return new Promise((resolve) => {
    const client = createClient({
      url: wsUrlOf(graphqlUrl),
      webSocketImpl: WebSocket,
      connectionParams: params,
      retryAttempts: 0,
      lazy: false,
      on: {
        connected: () => {
          resolve('connected');
          void client.dispose();
        },
        closed: (event) => resolve((event as { code: number }).code),
      },
      // A refused connection is the answer here, not an error to report.
      onNonLazyError: () => undefined,
    });
  });
}

/** The error codes an operation over WebSocket (by default, the subscription to notificationAdded) ends with for `token` (empty when it is accepted). */
export async function subscriptionErrorCodes(
  graphqlUrl: string,
  token: string,
  query = NOTIFICATION_ADDED,
): Promise<string[]> {
  const client = createClient({
    url: wsUrlOf(graphqlUrl),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  try {
    return await new Promise<string[]>((resolve) => {
      const timer = setTimeout(() => resolve([]), 1_000);
      client.subscribe(
        { query },
        {
          next: (result) => {
            if (!result.errors?.length) return;
            clearTimeout(timer);
            resolve(result.errors.map((e) => String(e.extensions?.code)));
          },
          error: (error) => {
            clearTimeout(timer);
            const errors = Array.isArray(error) ? error : [error];
            resolve(
              errors.map((e: { extensions?: { code?: unknown }; code?: unknown }) =>
                String(e.extensions?.code ?? e.code),
              ),
            );
          },
          complete: () => undefined,
        },
      );
    });
  } finally {
    await client.dispose();
  }
}
