import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { isRole, Role, signToken, verifyToken } from './auth';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** A token with exactly the given claims (no defaults). */
const sign = (claims: Record<string, unknown>) =>
  new SignJWT({ sub: randomUUID(), role: 'CITIZEN', ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(key);

async function refusal(token: Promise<string>, maxLifetimeSeconds?: number): Promise<string> {
  try {
    await verifyToken(await token, SECRET, maxLifetimeSeconds);
  } catch (error) {
    expect((error as { extensions: { code: string } }).extensions.code).toBe('UNAUTHENTICATED');
    return (error as Error).message;
  }
  throw new Error('the token was accepted');
}

describe('verifyToken', () => {
  it('accepts what signToken issues, which carries exp', async () => {
    const sub = randomUUID();
    expect(await verifyToken(await signToken({ sub, role: Role.PLANNER }, SECRET), SECRET)).toEqual({
      id: sub,
      role: Role.PLANNER,
      departmentId: null,
    });
  });

  it('checks the times of a token it verified before again: expired, or not yet valid', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const token = await sign({ iat: now(), exp: now() + 60 });
      await expect(verifyToken(token, SECRET)).resolves.toMatchObject({ role: Role.CITIZEN });
      await expect(verifyToken(token, SECRET)).resolves.toMatchObject({ role: Role.CITIZEN });
      jest.setSystemTime(Date.now() + 61_000);
      expect(await refusal(Promise.resolve(token))).toBe('The token has expired');
      expect(await refusal(Promise.resolve(token))).toBe('The token has expired');

      const later = await sign({ iat: now(), nbf: now() + 30, exp: now() + 120 });
      expect(await refusal(Promise.resolve(later))).toBe('The token is not valid');
      jest.setSystemTime(Date.now() + 31_000);
      await expect(verifyToken(later, SECRET)).resolves.toMatchObject({ role: Role.CITIZEN });
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a token verified before under another secret', async () => {
    const token = await signToken({ sub: randomUUID(), role: Role.CITIZEN }, SECRET);
    await verifyToken(token, SECRET);
    await expect(verifyToken(token, 'another-secret-of-at-least-32-characters')).rejects.toThrow(
      'The token is not valid',
    );
  });

  it('refuses a token without exp', async () => {
    expect(await refusal(sign({ iat: now() }))).toBe('The token must carry an expiry (exp)');
    expect(await refusal(sign({}))).toBe('The token must carry an expiry (exp)');
  });

  it('refuses a token that lives longer than the maximum: exp - iat, or exp - now without iat', async () => {
    const in2100 = Date.UTC(2100, 0, 1) / 1000;
    expect(await refusal(sign({ iat: now(), exp: in2100 }))).toMatch(/lives longer than 86400 seconds/);
    expect(await refusal(sign({ iat: now() - 3600, exp: now() + 23.5 * 3600 }))).toMatch(/lives longer/);
    expect(await refusal(sign({ exp: now() + 25 * 3600 }))).toMatch(/lives longer/);
    await expect(verifyToken(await sign({ exp: now() + 23 * 3600 }), SECRET)).resolves.toBeDefined();
    await expect(verifyToken(await sign({ iat: now(), exp: now() + 24 * 3600 }), SECRET)).resolves.toBeDefined();
  });

  it('takes the maximum it is given', async () => {
    const token = signToken({ sub: randomUUID(), role: Role.CITIZEN }, SECRET, '2h');
    expect(await refusal(token, 3600)).toBe('The token lives longer than 3600 seconds');
    const twoHours = await signToken({ sub: randomUUID(), role: Role.CITIZEN }, SECRET, '2h');
    await expect(verifyToken(twoHours, SECRET, 7200)).resolves.toBeDefined();
  });

  it('refuses a token issued in the future (its exp - iat would hide a long life)', async () => {
    const later = now() + 30 * 24 * 3600;
    expect(await refusal(sign({ iat: later, exp: later + 3600 }))).toBe('The token is issued in the future');
  });

  it("refuses roles that are not the enum's own values", async () => {
    for (const role of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'citizen', '']) {
      expect(await refusal(sign({ role, exp: now() + 60 }))).toBe("The token's role is not a known role");
    }
    expect(isRole('constructor')).toBe(false);
    expect(Object.values(Role).every(isRole)).toBe(true);
  });

  it('refuses a token it accepted before once it has expired, and under another secret', async () => {
    const token = await sign({ iat: now(), exp: now() + 60 });
    await expect(verifyToken(token, SECRET)).resolves.toMatchObject({ role: Role.CITIZEN });
    await expect(verifyToken(token, SECRET)).resolves.toMatchObject({ role: Role.CITIZEN });
    const signature = token.lastIndexOf('.') + 1;
    const forged = `${token.slice(0, signature)}${token[signature] === 'A' ? 'B' : 'A'}${token.slice(signature + 1)}`;
    expect(await refusal(Promise.resolve(forged))).toBe('The token is not valid');
    try {
      await verifyToken(token, 'another-secret-of-at-least-32-characters');
      throw new Error('the token was accepted under another secret');
    } catch (error) {
      expect((error as Error).message).toBe('The token is not valid');
    }
    // Only the clock moves on (jose reads it through `new Date()`).
    jest.useFakeTimers({
      now: Date.now() + 61_000,
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'setInterval', 'clearTimeout'],
    });
    try {
      expect(await refusal(Promise.resolve(token))).toBe('The token has expired');
    } finally {
      jest.useRealTimers();
    }
  });
});
