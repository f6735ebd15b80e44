import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { Role, signToken } from '../../src/core/auth';
import { postJson } from '../helpers/http';
import { createProcessDatabase, startServerProcess, type ProcessDatabase } from '../helpers/server-process';
import { TEST_JWT_SECRET } from '../helpers/test-app';

/**
 * Starting the built server where something is already running: a second server on the same
 * embedded data directory (it used to open the same files and lose what it acknowledged), a
 * port in use (the process used to hang without serving), and a restart after SIGKILL.
 */
let database: ProcessDatabase;
beforeAll(async () => {
  database = await createProcessDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const PROFILE = 'mutation { updateMyProfile(input: { districtCode: "520102" }) { id } }';

async function profileOf(url: string, sub: string): Promise<string | null> {
  const token = await signToken({ sub, role: Role.CITIZEN }, TEST_JWT_SECRET);
  const { json } = await postJson(url, { query: '{ viewer { id } }' }, { authorization: `Bearer ${token}` });
  return (json?.data as { viewer: { id: string } | null } | undefined)?.viewer?.id ?? null;
}

async function createProfile(url: string, sub: string): Promise<void> {
  const token = await signToken({ sub, role: Role.CITIZEN }, TEST_JWT_SECRET);
  const { status, json } = await postJson(url, { query: PROFILE }, { authorization: `Bearer ${token}` });
  expect({ status, json }).toMatchObject({ status: 200, json: { data: { updateMyProfile: { id: sub } } } });
}

it('a server on a port in use exits 1 saying so once, instead of running without serving', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as net.AddressInfo;
  try {
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'src', 'index.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        JWT_SECRET: TEST_JWT_SECRET,
        ...database.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(output).toContain(
      `Cannot listen on 127.0.0.1:${port}: the port is in use (another server?). Stop it, or set PORT to a free port.`,
    );
    // Said once, without the WebSocket server's "Internal error" and its stack.
    expect(output).not.toContain('Internal error emitted on the WebSocket server');
    expect(output).not.toMatch(/EADDRINUSE|at \w+ \(/);
    expect(Date.now() - started).toBeLessThan(40_000);
  } finally {
    blocker.close();
  }
}, 60_000);

const embedded = process.env.TEST_DATABASE_URL ? it.skip : it;

embedded(
  'a second server on the same data directory exits 1 naming the first; the first keeps serving and its writes are kept',
  async () => {
    const first = await startServerProcess(database.env);
    const subs = ['6a1f5c7e-0c55-4a43-9a59-2f0b1f7a1c01', '6a1f5c7e-0c55-4a43-9a59-2f0b1f7a1c02'];
    try {
      await createProfile(first.url, subs[0]);
      // A second server that did start (as before the lock) is stopped, not left running.
      const error = await startServerProcess(database.env).then(
        (second) => second.stop().then(() => null),
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/server exited \(\{"code":1,"signal":null\}\) before serving/);
      expect(error?.message).toContain(`is in use by process ${first.child.pid}`);
      await createProfile(first.url, subs[1]);
      expect(await profileOf(first.url, subs[0])).toBe(subs[0]);
    } finally {
      expect(await first.stop()).toEqual({ code: 0, signal: null });
    }
    // Stopped cleanly, it left no lock: the next start opens the directory and sees both writes.
    const again = await startServerProcess(database.env);
    try {
      for (const sub of subs) expect(await profileOf(again.url, sub)).toBe(sub);
    } finally {
      await again.stop();
    }
  },
  180_000,
);

embedded(
  'after SIGKILL, the next start takes over the lock the killed server left and keeps its data',
  async () => {
    const sub = '6a1f5c7e-0c55-4a43-9a59-2f0b1f7a1c03';
    const killed = await startServerProcess(database.env);
    await createProfile(killed.url, sub);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const again = await startServerProcess(database.env);
    try {
      expect(await profileOf(again.url, sub)).toBe(sub);
    } finally {
      await again.stop();
    }
  },
  180_000,
);
