import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/** Runs seeds/needs/check.mjs on a copy of the seeds, changed by `edit`. */
function check(edit: (needs: Record<string, unknown>[]) => void = () => {}): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'needs-check-'));
  try {
    cpSync(path.join(root, 'seeds', 'needs'), path.join(dir, 'seeds', 'needs'), { recursive: true });
    cpSync(path.join(root, 'seeds', 'catalogue'), path.join(dir, 'seeds', 'catalogue'), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const file = path.join(dir, 'seeds', 'needs', 'needs.json');
    const needs = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
    edit(needs);
    writeFileSync(file, JSON.stringify(needs));
    const run = spawnSync(process.execPath, [path.join(dir, 'seeds', 'needs', 'check.mjs')], { encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const byCode = (needs: Record<string, unknown>[], code: string) => needs.find((n) => n.code === code)!;

describe('seeds/needs/check.mjs', () => {
  it('passes the committed needs model and prints its counts', () => {
    const { status, output } = check();
    expect(status).toBe(0);
    expect(output).toMatch(/^needs OK: \d+ life events, \d+ needs \(\d+ met by no service\), \d+ trigger phrases/);
  });

  it('fails with a clear message for each kind of problem', () => {
    const { status, output } = check((needs) => {
      byCode(needs, 'birth-medical-certificate').services = [];
      byCode(needs, 'newborn-hukou').triggers = ['给孩子上户口', '宝宝落户口'];
      byCode(needs, 'newborn-medical-insurance').audiences = ['robot'];
      (byCode(needs, 'child-vaccination').triggers as string[]).push('老公打我');
      byCode(needs, 'childcare-allowance').nameZhHant = '领取育儿补贴';
      (byCode(needs, 'nursery-care').departments as string[]).push('GY-NOPE');
      byCode(needs, 'pet-cremation').services = ['CA-0010'];
      byCode(needs, 'adoption').lifeEvents = ['wedding'];
    });
    expect(status).toBe(1);
    for (const message of [
      'services that meet no need (1): HE-0004',
      'newborn-hukou: at least 8 trigger phrases, found 2',
      'newborn-medical-insurance: unknown audience robot',
      'trigger "老公打我" is listed by child-vaccination, domestic-violence',
      'childcare-allowance: nameZhHant "领取育儿补贴" still has simplified characters',
      'nursery-care: unknown department GY-NOPE',
      'pet-cremation: a pet need cannot be met by CA-0010',
      'adoption: unknown life event wedding',
    ]) {
      expect(output).toContain(message);
    }
  });

  it('accepts a trigger two needs list when both flag it as shared', () => {
    const { status } = check((needs) => {
      for (const code of ['child-vaccination', 'domestic-violence']) {
        const need = byCode(needs, code);
        (need.triggers as string[]).push('需要帮忙的事');
        need.sharedTriggers = ['需要帮忙的事'];
      }
    });
    expect(status).toBe(0);
  });
});
