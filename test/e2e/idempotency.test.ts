import { randomUUID } from 'node:crypto';
import { departmentId } from '../../seeds/catalogue';
import { Role } from '../../src/core/auth';
import { countRows, newCitizen, type TestCitizen } from '../helpers/fixtures';
import { postJson, type RawResponse } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Idempotency keys of submitRequest and createProposal: a retry (or a racing twin) with the
 * caller's key answers with the first outcome and stores nothing twice.
 */
let t: TestApp;
let citizen: TestCitizen;
let staffToken: string;

beforeAll(async () => {
  t = await startTestApp();
  citizen = await newCitizen(t);
  staffToken = await t.token(Role.STAFF, { dept: departmentId('GY-SPORT') });
});
afterAll(async () => {
  await t?.stop();
});

const SUBMIT = `mutation($input: RequestInput!, $key: String) {
  submitRequest(input: $input, idempotencyKey: $key) { unmet request { id text } matches { score service { id } } }
}`;
const CREATE = `mutation($input: ProposalInput!, $key: String) {
  createProposal(input: $input, idempotencyKey: $key) { id title status }
}`;

function call(token: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  return postJson(t.url, { query, variables }, { authorization: `Bearer ${token}`, ...headers });
}
const submit = (text: string, key?: string, headers: Record<string, string> = {}, token = citizen.token) =>
  call(token, SUBMIT, { input: { text }, key }, headers);
const proposal = (title: string) => ({
  title,
  summary: '居民可以在线预约社区智能健身驿站的时段，使用力量和有氧器械。',
  categoryCode: 'life.culture-sport',
  tags: ['健身驿站'],
  channels: ['APP'],
  eligibility: { minAge: 14 },
  rationale: '居民多次提出希望就近健身。',
});
const create = (title: string, key?: string, headers: Record<string, string> = {}) =>
  call(staffToken, CREATE, { input: proposal(title), key }, headers);

type Data = Record<string, Record<string, unknown> & { id?: string; request?: { id: string } }>;
function dataOf(response: RawResponse): Data {
  expect(response.json?.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response.json!.data as Data;
}
const requestsWithText = (text: string) => countRows(t, `signal WHERE kind = 'REQUEST' AND text = $1`, [text]);
const proposalsTitled = (title: string) => countRows(t, 'proposal WHERE title = $1', [title]);
const auditsOf = (action: string, targetId: string) =>
  countRows(t, 'audit_event WHERE action = $1 AND target_id = $2', [action, targetId]);

describe('submitRequest', () => {
  it('answers a retry with the same key (argument or header) with the first outcome, storing one request', async () => {
    const text = `想办社保卡 ${randomUUID()}`;
    const key = randomUUID();
    const first = dataOf(await submit(text, key)).submitRequest;
    const again = dataOf(await submit(text, key)).submitRequest;
    const byHeader = dataOf(await submit(text, undefined, { 'idempotency-key': key })).submitRequest;
    const both = dataOf(await submit(text, key, { 'idempotency-key': key })).submitRequest;
    for (const retry of [again, byHeader, both]) expect(retry).toEqual(first);
    expect(await requestsWithText(text)).toBe(1);
    expect(await auditsOf('request.submit', first.request!.id)).toBe(1);
  });

  it('stores once when calls with one key race', async () => {
    const text = `公积金提取 ${randomUUID()}`;
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => submit(text, undefined, { 'idempotency-key': key })),
    );
    const ids = new Set(answers.map((answer) => dataOf(answer).submitRequest.request!.id));
    expect(ids.size).toBe(1);
    expect(await requestsWithText(text)).toBe(1);
  });

  it('stores every call without a key, and keeps each caller its own keys', async () => {
    const text = `医保报销 ${randomUUID()}`;
    dataOf(await submit(text));
    dataOf(await submit(text));
    expect(await requestsWithText(text)).toBe(2);
    const key = randomUUID();
    const other = await newCitizen(t);
    const mine = dataOf(await submit(`${text} 2`, key)).submitRequest;
    const theirs = dataOf(await submit(`${text} 2`, key, {}, other.token)).submitRequest;
    expect(theirs.request!.id).not.toBe(mine.request!.id);
    expect(await requestsWithText(`${text} 2`)).toBe(2);
  });

  it('refuses the same key with another input as CONFLICT, storing nothing', async () => {
    const key = randomUUID();
    const text = `养老金 ${randomUUID()}`;
    dataOf(await submit(text, key));
    const reused = await submit(`${text} 改`, key);
    expect(reused.json?.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'IDEMPOTENCY_KEY_REUSED',
      idempotencyKey: key,
    });
    expect(reused.json?.errors?.[0].message).toMatch(/already used with a different input/);
    expect(await requestsWithText(`${text} 改`)).toBe(0);
  });

  it('refuses a malformed key, or a header and argument that differ, as BAD_USER_INPUT', async () => {
    const text = `办居住证 ${randomUUID()}`;
    const refused = [
      await submit(text, 'a b'),
      await submit(text, 'x'.repeat(256)),
      await submit(text, 'k-1', { 'idempotency-key': 'k-2' }),
    ];
    for (const response of refused) {
      expect(response.json?.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        validationErrors: [{ property: 'idempotencyKey' }],
      });
    }
    expect(await requestsWithText(text)).toBe(0);
  });

  it('forgets a key after 24 hours', async () => {
    const text = `出入境 ${randomUUID()}`;
    const key = randomUUID();
    const first = dataOf(await submit(text, key)).submitRequest;
    await t.db.query(`UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key = $1`, [key]);
    const later = dataOf(await submit(text, key)).submitRequest;
    expect(later.request!.id).not.toBe(first.request!.id);
    expect(await requestsWithText(text)).toBe(2);
    expect(await countRows(t, 'idempotency_key WHERE key = $1', [key])).toBe(1);
  });
});

describe('createProposal', () => {
  it('answers a retry and racing calls with one key with the one proposal created', async () => {
    const title = `社区健身驿站 ${randomUUID().slice(0, 8)}`;
    const key = randomUUID();
    const first = dataOf(await create(title, key)).createProposal;
    const retry = dataOf(await create(title, undefined, { 'idempotency-key': key })).createProposal;
    expect(retry).toEqual(first);
    expect(await proposalsTitled(title)).toBe(1);
    expect(await auditsOf('proposal.create', first.id!)).toBe(1);

    const raced = `社区健身驿站 ${randomUUID().slice(0, 8)}`;
    const raceKey = randomUUID();
    const answers = await Promise.all(Array.from({ length: 6 }, () => create(raced, raceKey)));
    expect(new Set(answers.map((answer) => dataOf(answer).createProposal.id)).size).toBe(1);
    expect(await proposalsTitled(raced)).toBe(1);
  });

  it('refuses the same key with another input as CONFLICT, storing nothing', async () => {
    const key = randomUUID();
    const title = `社区健身驿站 ${randomUUID().slice(0, 8)}`;
    dataOf(await create(title, key));
    const reused = await create(`${title} 改`, key);
    expect(reused.json?.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await proposalsTitled(`${title} 改`)).toBe(0);
  });
});
