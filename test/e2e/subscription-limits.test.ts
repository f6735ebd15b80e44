import WebSocket from 'ws';
import { Role } from '../../src/core/auth';
import { MAX_CONNECTIONS_PER_CALLER, MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../../src/core/limits';
import { newCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Subscriptions over WebSocket are bounded per connection and connections per caller: 20,000
 * subscriptions on one connection of one citizen ran `npm start`'s heap out of memory.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

interface Connection {
  socket: WebSocket;
  /** Messages received so far. */
  messages: { type: string; id?: string; payload?: unknown }[];
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with true once acknowledged, false when closed first. */
  acknowledged: Promise<boolean>;
}

function connect(token: string): Connection {
  const socket = new WebSocket(t.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: Connection['messages'] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const acknowledged = new Promise<boolean>((resolve) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      messages.push(message);
      if (message.type === 'connection_ack') resolve(true);
    });
    void closed.then(() => resolve(false));
  });
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
  );
  return { socket, messages, closed, acknowledged };
}

const SUBSCRIBE = 'subscription { notificationAdded { id } }';

it(`refuses a subscription past ${MAX_SUBSCRIPTIONS_PER_CONNECTION} on one connection, and keeps the connection`, async () => {
  const citizen = await newCitizen(t);
  const connection = connect(citizen.token);
  expect(await connection.acknowledged).toBe(true);
  const count = MAX_SUBSCRIPTIONS_PER_CONNECTION + 5;
  for (let i = 0; i < count; i += 1) {
    connection.socket.send(JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: { query: SUBSCRIBE } }));
  }
  const deadline = Date.now() + 10_000;
  const errors = () => connection.messages.filter((m) => m.type === 'error');
  while (errors().length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(errors().map((m) => m.id)).toEqual(['s10', 's11', 's12', 's13', 's14']);
  expect(errors()[0].payload).toEqual([
    expect.objectContaining({
      message: `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions on one connection`,
      extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
    }),
  ]);
  // Completing one frees its place.
  connection.socket.send(JSON.stringify({ id: 's0', type: 'complete' }));
  connection.socket.send(JSON.stringify({ id: 'again', type: 'subscribe', payload: { query: SUBSCRIBE } }));
  await new Promise((r) => setTimeout(r, 300));
  expect(connection.messages.some((m) => m.id === 'again' && m.type === 'error')).toBe(false);
  expect(connection.socket.readyState).toBe(WebSocket.OPEN);
  connection.socket.close();
  await connection.closed;
});

it(`closes a caller's connection past ${MAX_CONNECTIONS_PER_CALLER} with 4429; one closed frees a place; others unaffected`, async () => {
  const citizen = await newCitizen(t);
  const connections = Array.from({ length: MAX_CONNECTIONS_PER_CALLER }, () => connect(citizen.token));
  expect(await Promise.all(connections.map((c) => c.acknowledged))).toEqual(
    Array(MAX_CONNECTIONS_PER_CALLER).fill(true),
  );
  const extra = connect(citizen.token);
  expect(await extra.acknowledged).toBe(false);
  expect(await extra.closed).toEqual({
    code: 4429,
    reason: `At most ${MAX_CONNECTIONS_PER_CALLER} connections per caller`,
  });
  // Another caller is not counted with this one.
  const bystander = connect((await newCitizen(t)).token);
  expect(await bystander.acknowledged).toBe(true);
  connections[0].socket.close();
  await connections[0].closed;
  await new Promise((r) => setTimeout(r, 100));
  const again = connect(citizen.token);
  expect(await again.acknowledged).toBe(true);
  for (const c of [...connections.slice(1), again, bystander]) c.socket.close();
});

it('spends an operation of the caller’s budget on each subscribe: past it, RATE_LIMITED', async () => {
  // Subscribing and completing in a loop ran a core without limit (20,000 in 4 s).
  const limited = await startTestApp({ RATE_LIMIT_POINTS: '5' });
  try {
    const token = await limited.token(Role.CITIZEN);
    const socket = new WebSocket(limited.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const messages: { type: string; id?: string; payload?: any }[] = [];
    const acknowledged = new Promise<void>((resolve) =>
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString());
        messages.push(message);
        if (message.type === 'connection_ack') resolve();
      }),
    );
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    await acknowledged;
    for (let i = 0; i < 8; i += 1) {
      socket.send(JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: { query: SUBSCRIBE } }));
    }
    const deadline = Date.now() + 10_000;
    const errors = () => messages.filter((m) => m.type === 'error');
    while (errors().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(errors().map((m) => m.id)).toEqual(['s5', 's6', 's7']);
    expect(errors()[0].payload).toEqual([
      expect.objectContaining({ extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } }),
    ]);
    socket.close();
  } finally {
    await limited.stop();
  }
});
