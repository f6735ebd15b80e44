import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DATA_DIR_LOCK_FILE,
  DataDirectoryInUseError,
  holderIsRunning,
  lockDataDirectory,
  processStartTicks,
  type LockHolder,
} from './data-dir-lock';

let dir: string;
let child: ChildProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-lock-'));
});
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const lockFile = () => path.join(dir, DATA_DIR_LOCK_FILE);
const holderOf = (pid: number, startTicks: number | null): LockHolder => ({
  pid,
  startTicks,
  host: os.hostname(),
  since: '2026-12-07T06:00:00.000Z',
});

/** Another process that keeps running until the test ends. */
async function otherProcess(): Promise<number> {
  child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child!.once('spawn', resolve));
  return child.pid!;
}

describe('lockDataDirectory', () => {
  it('writes the lock naming this process, and the release removes it', () => {
    const release = lockDataDirectory(dir);
    const holder = JSON.parse(readFileSync(lockFile(), 'utf8')) as LockHolder;
    expect(holder.pid).toBe(process.pid);
    release();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('refuses a directory whose lock names a running process, and leaves its lock', async () => {
    const pid = await otherProcess();
    writeFileSync(lockFile(), JSON.stringify(holderOf(pid, processStartTicks(pid))));
    expect(() => lockDataDirectory(dir)).toThrow(DataDirectoryInUseError);
    expect(() => lockDataDirectory(dir)).toThrow(`in use by process ${pid}`);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(pid);
  });

  it('takes over the lock of a process that is gone (killed, crashed)', async () => {
    const pid = await otherProcess();
    const ticks = processStartTicks(pid);
    child!.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    writeFileSync(lockFile(), JSON.stringify(holderOf(pid, ticks)));
    const release = lockDataDirectory(dir);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('takes over a lock whose pid now belongs to another process, or to this one', async () => {
    const pid = await otherProcess();
    const ticks = processStartTicks(pid);
    if (ticks !== null) {
      writeFileSync(lockFile(), JSON.stringify(holderOf(pid, ticks - 1)));
      lockDataDirectory(dir)();
    }
    writeFileSync(lockFile(), JSON.stringify(holderOf(process.pid, null)));
    lockDataDirectory(dir)();
  });

  it('takes over an unreadable lock', () => {
    writeFileSync(lockFile(), '');
    lockDataDirectory(dir)();
    writeFileSync(lockFile(), '{"pid":');
    lockDataDirectory(dir)();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('a release leaves a lock that another process took since', async () => {
    const release = lockDataDirectory(dir);
    const pid = await otherProcess();
    writeFileSync(lockFile(), JSON.stringify(holderOf(pid, processStartTicks(pid))));
    release();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(pid);
  });
});

describe('holderIsRunning', () => {
  it('is false for no process, and true for a running one', async () => {
    expect(holderIsRunning(holderOf(2 ** 22 + 12345, null))).toBe(false);
    expect(holderIsRunning(holderOf(0, null))).toBe(false);
    const pid = await otherProcess();
    expect(holderIsRunning(holderOf(pid, processStartTicks(pid)))).toBe(true);
    expect(holderIsRunning(holderOf(pid, null))).toBe(true);
  });
});
