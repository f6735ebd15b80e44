import { randomUUID } from 'node:crypto';
import { departmentId } from '../../seeds/catalogue';
import { Role, signToken } from '../../src/core/auth';
import { postJson, type RawResponse } from '../helpers/http';
import {
  startWebhookReceiver,
  subscribeToNotifications,
  type WebhookReceiver,
} from '../helpers/notification-receivers';
import {
  createProcessDatabase,
  startServerProcess,
  type ProcessDatabase,
  type ServerProcess,
} from '../helpers/server-process';
import { TEST_JWT_SECRET } from '../helpers/test-app';

/**
 * The outbox across processes, on PostgreSQL: a notification written by a process killed
 * before dispatching is delivered by the next one; a subscriber on one process hears what
 * another dispatched (LISTEN/NOTIFY).
 */
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
if (!process.env.TEST_DATABASE_URL) console.warn('outbox-process skipped: needs PostgreSQL (TEST_DATABASE_URL)');

const SECRET = 'webhook-secret-of-the-integrator';
const REGISTER = `mutation($input: WebhookInput!) { registerWebhook(input: $input) { id } }`;
const PROFILE = 'mutation { updateMyProfile(input: { districtCode: "520103", birthYear: 1980 }) { id } }';
const COMPLAIN = `mutation($s: [SignalInput!]!) { recordSignals(signals: $s) { accepted } }`;

function dataOf<T>(response: RawResponse): T {
  if (response.status !== 200 || response.json?.errors || !response.json?.data) {
    throw new Error(`request failed: ${response.status} ${response.text.slice(0, 300)}`);
  }
  return response.json.data as T;
}

const bearer = async (role: Role, options: { sub?: string; dept?: string } = {}) =>
  signToken({ sub: options.sub ?? randomUUID(), role, dept: options.dept }, TEST_JWT_SECRET);

onPostgres('the notification outbox across processes', () => {
  let database: ProcessDatabase;
  const servers: ServerProcess[] = [];
  let receiver: WebhookReceiver;
  let elderlyCare: string;

  async function complain(server: ServerProcess, text: string): Promise<void> {
    const auth = { authorization: `Bearer ${await bearer(Role.CITIZEN)}` };
    dataOf(await postJson(server.url, { query: PROFILE }, auth));
    dataOf(
      await postJson(
        server.url,
        { query: COMPLAIN, variables: { s: [{ kind: 'COMPLAINT', serviceId: elderlyCare, text }] } },
        auth,
      ),
    );
  }

  beforeAll(async () => {
    database = await createProcessDatabase();
    receiver = await startWebhookReceiver(SECRET);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    await receiver?.close();
    await database?.drop();
  });

  it('delivers after a restart what a killed process wrote but never dispatched', async () => {
    // Dispatch off: the process writes notifications and their outbox rows, and sends nothing.
    const first = await startServerProcess({ ...database.env, OUTBOX_POLL_MS: '0' });
    servers.push(first);
    [{ id: elderlyCare }] = await database.query<{ id: string }>(`SELECT id FROM service WHERE code = 'EL-0003'`);
    const admin = { authorization: `Bearer ${await bearer(Role.ADMIN)}` };
    dataOf(
      await postJson(
        first.url,
        { query: REGISTER, variables: { input: { url: receiver.url, secret: SECRET } } },
        admin,
      ),
    );
    await complain(first, '助餐服务的饭菜是凉的');
    const [pending] = await database.query<{ eventId: string; dispatchedAt: Date | null }>(
      `SELECT event_id AS "eventId", dispatched_at AS "dispatchedAt" FROM notification_outbox WHERE kind = 'request.routed'`,
    );
    expect(pending.dispatchedAt).toBeNull();

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(receiver.received).toHaveLength(0);

    const second = await startServerProcess({
      ...database.env,
      SEED_ON_START: 'false',
      OUTBOX_POLL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '100',
    });
    servers.push(second);
    const event = await receiver.waitFor((e) => e.eventId === pending.eventId);
    expect(event).toMatchObject({ type: 'request.routed', verified: true });
    // The sender records the delivery once the receiver has answered, so after the receiver has seen it.
    const delivery = async () =>
      (
        await database.query<{ dispatched: boolean; status: string }>(
          `SELECT o.dispatched_at IS NOT NULL AS dispatched, d.status::text AS status
             FROM notification_outbox o JOIN webhook_delivery d ON d.event_id = o.event_id WHERE o.event_id = $1`,
          [pending.eventId],
        )
      )[0];
    let after = await delivery();
    while (after.status === 'PENDING') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await delivery();
    }
    expect(after).toEqual({ dispatched: true, status: 'DELIVERED' });
  });

  it('tells a subscriber on one process what another process dispatched', async () => {
    const listening = await startServerProcess({ ...database.env, SEED_ON_START: 'false', OUTBOX_POLL_MS: '0' });
    servers.push(listening);
    const staff = await subscribeToNotifications(
      listening.url,
      await bearer(Role.STAFF, { dept: departmentId('GY-CA') }),
    );
    try {
      // Written through the process that does not dispatch; dispatched by the one that does.
      await complain(listening, '助餐服务的人员态度不好');
      const routed = await staff.waitFor((n) => n.kind === 'request.routed');
      expect(routed.message).toContain('新的诉求');
    } finally {
      await staff.close();
    }
  });
});
