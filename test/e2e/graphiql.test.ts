import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { graphiqlRouter } from '../../src/http/graphiql.routes';
import { raw } from '../helpers/http';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/test-app';

/** GraphiQL at /graphiql: on by default outside production, off in production unless enabled. */
const originOf = (t: TestApp) => new URL(t.url).origin;

describe('GraphiQL outside production (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves the page at /graphiql and /graphiql/, its files from the same origin, under its own CSP', async () => {
    for (const path of ['/graphiql', '/graphiql/']) {
      const page = await raw(`${originOf(t)}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toMatch(/(^|; )script-src 'self'(;|$)/);
      const links = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      // An empty icon in place (no request for /favicon.ico, a 404 in the browser's console).
      expect(links.filter((link) => link.startsWith('data:'))).toEqual(['data:,']);
      const files = links.filter((link) => !link.startsWith('data:')).sort();
      expect(files).toEqual(['/graphiql/graphiql.css', '/graphiql/graphiql.js']);
      for (const file of files) {
        const response = await raw(`${originOf(t)}${file}`);
        expect(response.status).toBe(200);
        expect(response.text).not.toMatch(/https?:\/\/(cdn|unpkg|fonts\.googleapis)/);
      }
    }
  });

  it('is off with GRAPHIQL=false', async () => {
    const off = await startTestApp({ GRAPHIQL: 'false', SEED_ON_START: 'false' });
    try {
      expect((await raw(`${originOf(off)}/graphiql`)).status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});

describe('GraphiQL in production', () => {
  it('is off by default', async () => {
    const t = await startTestApp({ NODE_ENV: 'production', SEED_ON_START: 'false' });
    try {
      expect((await raw(`${originOf(t)}/graphiql`)).status).toBe(404);
      expect((await raw(`${originOf(t)}/graphiql/graphiql.js`)).status).toBe(404);
    } finally {
      await t.stop();
    }
  });

  it('is served with GRAPHIQL=true (and ALLOW_INTROSPECTION=true, which it needs)', async () => {
    const t = await startTestApp({
      NODE_ENV: 'production',
      SEED_ON_START: 'false',
      GRAPHIQL: 'true',
      ALLOW_INTROSPECTION: 'true',
    });
    try {
      expect((await raw(`${originOf(t)}/graphiql`)).status).toBe(200);
    } finally {
      await t.stop();
    }
  });
});

describe('graphiqlRouter', () => {
  async function serve(router: express.Router): Promise<{ origin: string; close(): Promise<void> }> {
    const app = express().use(router);
    const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return {
      origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }
  const production = (env: Record<string, string>) =>
    loadConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, ...env });

  it('says at start-up when introspection is off, since GraphiQL cannot load the schema without it', () => {
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
    graphiqlRouter({ config: production({ GRAPHIQL: 'true' }), logger });
    expect(warnings).toEqual([expect.stringMatching(/GRAPHIQL is on but ALLOW_INTROSPECTION is off/)]);
    warnings.length = 0;
    graphiqlRouter({ config: production({ GRAPHIQL: 'true', ALLOW_INTROSPECTION: 'true' }), logger });
    expect(warnings).toEqual([]);
  });

  it('answers 503 with what to do when the bundle was not built', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    const served = await serve(
      graphiqlRouter({ config, logger: pino({ level: 'silent' }), bundleDir: '/nonexistent/graphiql' }),
    );
    try {
      const response = await raw(`${served.origin}/graphiql`);
      expect(response.status).toBe(503);
      expect(response.text).toMatch('GraphiQL not built: run npm run build');
    } finally {
      await served.close();
    }
  });
});
