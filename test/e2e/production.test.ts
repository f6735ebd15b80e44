import http from 'node:http';
import { codesOf, postJson, raw } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { Role } from '../../src/core/auth';
import { EVERY_FIELD_PAGE, FRONTEND_PAGE, NESTED_PAGES, SERVICES_WITH_DEPARTMENTS } from '../helpers/heavy-queries';

/** NODE_ENV=production: what an attacker can learn is as little as possible. */
let t: TestApp;
let stopped: Promise<void> | undefined;
beforeAll(async () => {
  t = await startTestApp({ NODE_ENV: 'production', SEED_ON_START: 'false' });
});
afterAll(async () => {
  if (!stopped) await t?.stop();
});

const noLeak = (text: string) => {
  expect(text).not.toMatch(/stacktrace|node_modules|at \w+ \(|SELECT|relation|typeorm|QueryFailedError/i);
};

describe('production mode', () => {
  it('refuses introspection', async () => {
    const response = await postJson(t.url, { query: '{ __schema { types { name } } }' });
    expect(response.status).toBe(400);
    expect(codesOf(response)).toContain('GRAPHQL_VALIDATION_FAILED');
  });

  it('serves no landing page (GraphiQL / Sandbox)', async () => {
    const response = await raw(t.url, { headers: { accept: 'text/html' } });
    expect(response.text).not.toMatch(/<html|sandbox|embeddable/i);
  });

  it('gives no field suggestions', async () => {
    const response = await postJson(t.url, { query: '{ servicez { totalCount } }' });
    expect(response.status).toBe(400);
    const message = response.json?.errors?.[0].message ?? '';
    expect(message).toMatch(/Cannot query field "servicez"/);
    expect(message).not.toMatch(/Did you mean/);
    expect(response.text).not.toMatch(/"services"/);
  });

  it('does not name the limits it enforces', async () => {
    const aliases = Array.from({ length: 101 }, (_, i) => `a${i}: service(id: "x") { id }`).join(' ');
    const response = await postJson(t.url, { query: `query { ${aliases} }` });
    expect(response.status).toBe(400);
    expect(response.json?.errors?.map((e) => e.message)).toContain('Too many aliases.');
    expect(response.text).not.toMatch(/\b(20|101)\b/);
    const tokens = await postJson(t.url, { query: `query { ${'__typename '.repeat(5000)} }` });
    expect(tokens.json?.errors?.[0].message).toBe(
      'Syntax Error: Document contains too many tokens. Send long inputs as variables: their values are not tokens of the document.',
    );
  });

  it('answers the heaviest legitimate pages and refuses pages inside pages before running them', async () => {
    const admin = { authorization: `Bearer ${await t.token(Role.ADMIN)}` };
    for (const query of [EVERY_FIELD_PAGE, FRONTEND_PAGE, SERVICES_WITH_DEPARTMENTS]) {
      const response = await postJson(t.url, { query }, admin);
      expect(response.status).toBe(200);
      expect(response.json?.errors).toBeUndefined();
    }
    const attack = await postJson(t.url, { query: NESTED_PAGES, variables: { n: 100 } });
    expect(attack.status).toBe(400);
    expect(codesOf(attack)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(attack.text).not.toMatch(/\b10000\b|\b10,000\b/);
    const deep = await postJson(
      t.url,
      `{"query":"{ __typename }","variables":{"v":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
    );
    expect(deep.status).toBe(400);
    expect(codesOf(deep)).toEqual(['VARIABLES_TOO_DEEP']);
    const subscription = await postJson(t.url, { query: 'subscription { notificationAdded { id } }' });
    expect(codesOf(subscription)).toEqual(['SUBSCRIPTIONS_NOT_SUPPORTED']);
  });

  it('sends security headers, a content security policy included', async () => {
    const response = await postJson(t.url, { query: '{ __typename }' });
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('reports a database error as INTERNAL_SERVER_ERROR without SQL, names or stack', async () => {
    await t.db.query('ALTER TABLE service RENAME TO service_hidden');
    try {
      const response = await postJson(t.url, { query: '{ services(first: 1) { totalCount } }' });
      expect(codesOf(response)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(response.json?.errors?.[0].message).toBe('Internal server error');
      noLeak(response.text);
      expect(response.text).not.toMatch(/service_hidden|service"/);
    } finally {
      await t.db.query('ALTER TABLE service_hidden RENAME TO service');
    }
  });
});

/** Last, as it stops the server: what SIGTERM does (src/index.ts calls the same stop). */
describe('graceful shutdown', () => {
  it('finishes an in-flight request, then refuses new connections', async () => {
    const url = new URL(t.url);
    const body = JSON.stringify({ query: '{ services(first: 1) { totalCount } }' });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // Half the body now: the request is in flight when the stop begins.
      req.write(body.slice(0, 10));
      setTimeout(() => {
        stopped = t.stop();
        setTimeout(() => req.end(body.slice(10)), 200);
      }, 100);
    });
    const { status, text } = await response;
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({ data: { services: { totalCount: 0 } } });
    await stopped;
    await expect(fetch(t.url, { method: 'POST', body })).rejects.toThrow();
  });
});
