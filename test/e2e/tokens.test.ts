import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { departmentId } from '../../seeds/catalogue';
import { Role } from '../../src/core/auth';
import { countRows } from '../helpers/fixtures';
import { postJson, raw } from '../helpers/http';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/test-app';

// Tokens: exp required and a bounded life, roles from the enum's own values, a dept that is a
// department. Each refusal is 401 UNAUTHENTICATED before anything runs.

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

const key = new TextEncoder().encode(TEST_JWT_SECRET);
const now = () => Math.floor(Date.now() / 1000);
/** A token with exactly these claims besides sub (no exp unless given). */
const sign = (claims: Record<string, unknown>) =>
  new SignJWT({ sub: randomUUID(), ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(key);
const viewer = (token: string) =>
  postJson(t.url, { query: '{ viewer { id role department { code } } }' }, { authorization: `Bearer ${token}` });

async function expectUnauthenticated(response: Promise<Awaited<ReturnType<typeof viewer>>>, message: string | RegExp) {
  const answer = await response;
  expect(answer.status).toBe(401);
  const [error] = answer.json?.errors ?? [];
  expect(error?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(error?.message).toMatch(message);
}

describe('token lifetime', () => {
  it('refuses a signed token without exp, which never expired before', async () => {
    const token = await sign({ role: 'PLANNER', iat: now() });
    await expectUnauthenticated(viewer(token), 'The token must carry an expiry (exp)');
  });

  it('refuses a token expiring in 2100, and one without iat expiring beyond the maximum (24 h)', async () => {
    const in2100 = Date.UTC(2100, 0, 1) / 1000;
    const token = await sign({ role: 'ADMIN', iat: now(), exp: in2100 });
    await expectUnauthenticated(viewer(token), /lives longer than 86400 seconds/);
    await expectUnauthenticated(viewer(await sign({ role: 'ADMIN', exp: now() + 25 * 3600 })), /lives longer/);
    const fine = await viewer(await sign({ role: 'ADMIN', iat: now(), exp: now() + 23 * 3600 }));
    expect(fine.json?.data).toMatchObject({ viewer: { role: 'ADMIN' } });
  });
});

describe('roles', () => {
  it.each(['constructor', 'toString', '__proto__'])('refuses the role "%s" (it authenticated before)', async (role) => {
    const token = await sign({ role, iat: now(), exp: now() + 600 });
    await expectUnauthenticated(viewer(token), "The token's role is not a known role");
  });
});

describe('departments', () => {
  it('refuses a STAFF or REVIEWER dept that names no department, and writes nothing', async () => {
    const before = await countRows(t, 'proposal');
    const ghost = randomUUID();
    const staff = await t.token(Role.STAFF, { dept: ghost });
    const input = {
      title: '社区健身预约',
      summary: '居民可以在线预约社区健身。',
      categoryCode: 'life.culture-sport',
      channels: ['APP'],
    };
    const create = postJson(
      t.url,
      { query: 'mutation($input: ProposalInput!) { createProposal(input: $input) { id } }', variables: { input } },
      { authorization: `Bearer ${staff}` },
    );
    await expectUnauthenticated(create, "The token's dept names no department");
    await expectUnauthenticated(viewer(await t.token(Role.REVIEWER, { dept: ghost })), /names no department/);
    const download = await raw(`${t.url.replace(/\/graphql$/, '')}/reports/${randomUUID()}.md`, {
      headers: { authorization: `Bearer ${staff}` },
    });
    expect(download.status).toBe(401);
    expect(await countRows(t, 'proposal')).toBe(before);
  });

  it('accepts a dept that is a department', async () => {
    const staff = await t.token(Role.STAFF, { dept: departmentId('GY-SPORT') });
    expect((await viewer(staff)).json?.data).toEqual({
      viewer: { id: expect.any(String), role: 'STAFF', department: { code: 'GY-SPORT' } },
    });
  });
});

describe('npm run token', () => {
  const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'graphql', 'token-cli.js');
  const run = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, [cli, ...args], {
      env: { ...process.env, JWT_SECRET: TEST_JWT_SECRET, ...env },
    });

  it('issues a token with exp that the server accepts', async () => {
    const { stdout } = await run(['--role', 'STAFF', '--dept', departmentId('GY-HPF')]);
    const answer = await viewer(stdout.trim());
    expect(answer.json?.data).toMatchObject({ viewer: { role: 'STAFF', department: { code: 'GY-HPF' } } });
  });

  it('says its options with --help, issuing nothing', async () => {
    const { stdout } = await run(['--help']);
    expect(stdout).toContain('--role');
    expect(stdout).toContain('STAFF, REVIEWER');
    expect(stdout).not.toMatch(/^ey/m);
  });

  it('refuses to issue one longer than TOKEN_MAX_LIFETIME_SECONDS', async () => {
    await expect(run(['--role', 'PLANNER', '--expires', '48h'])).rejects.toMatchObject({ code: 2 });
    const shorter = { TOKEN_MAX_LIFETIME_SECONDS: '3600' };
    await expect(run(['--role', 'PLANNER', '--expires', '2h'], shorter)).rejects.toMatchObject({ code: 2 });
    await expect(run(['--role', 'constructor'])).rejects.toMatchObject({ code: 2 });
  });

  it('refuses what the server would refuse or what acts for no department, saying why', async () => {
    // Each was issued before: a sub or dept the server refuses (401), or staff of no department.
    await expect(run(['--role', 'CITIZEN', '--sub', '7b1c'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--sub must be a UUID'),
    });
    await expect(run(['--role', 'STAFF', '--dept', 'GY-HPF'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--dept must be a department id'),
    });
    for (const role of ['STAFF', 'REVIEWER']) {
      await expect(run(['--role', role])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`--role ${role} needs --dept <department id>`),
      });
    }
    const { stdout } = await run(['--role', 'REVIEWER', '--dept', departmentId('GY-HPF'), '--sub', randomUUID()]);
    expect((await viewer(stdout.trim())).json?.data).toMatchObject({ viewer: { role: 'REVIEWER' } });
  });
});
