import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Runs check-guides.mjs on a copy of the seeds changed by `edit`; returns its exit code and output. */
function checkEdited(edit: (dir: string) => void): { code: number; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'check-guides-'));
  try {
    for (const sub of ['catalogue', 'service-points', 'calendar', 'geo']) {
      cpSync(path.join(__dirname, '..', sub), path.join(dir, sub), { recursive: true });
    }
    edit(dir);
    try {
      const output = execFileSync(process.execPath, [path.join(dir, 'catalogue', 'check-guides.mjs')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { code: 0, output };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return { code: err.status, output: err.stdout + err.stderr };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function editJson(dir: string, file: string, change: (data: any) => void): void {
  const p = path.join(dir, file);
  const data = JSON.parse(readFileSync(p, 'utf8'));
  change(data);
  writeFileSync(p, JSON.stringify(data));
}

describe('check-guides.mjs', () => {
  it('passes on the seeds as committed', () => {
    const { code, output } = checkEdited(() => undefined);
    expect(code).toBe(0);
    expect(output).toContain('300 guides');
  });

  it('fails with clear messages on a missing field, a promise beyond the legal limit and a missing guide', () => {
    const { code, output } = checkEdited((dir) =>
      editJson(dir, 'catalogue/guides.json', (g) => {
        delete g['SS-0001'].legalBasis;
        g['HF-0010'].timeLimits.promisedWorkingDays = 30;
        delete g['HR-0014'];
        g['TL-0002'].materials[0].form = 'SCAN';
      }),
    );
    expect(code).toBe(1);
    expect(output).toContain('guides.json SS-0001: missing field "legalBasis"');
    expect(output).toContain('guides.json HF-0010.timeLimits: promised (30) exceeds the legal limit (15)');
    expect(output).toContain('guides.json: no guide for service HR-0014');
    expect(output).toContain('guides.json TL-0002.materials[0].form: must be one of');
  });

  it('fails on a point outside its district, bad hours, an unknown service and a service left without a point', () => {
    const { code, output } = checkEdited((dir) =>
      editJson(dir, 'service-points/points.json', (f) => {
        const nanming = f.points.find((p: { code: string }) => p.code === 'GY-DC-520102');
        nanming.location = { lat: 27.0925, long: 106.7398 }; // 息烽县城
        nanming.hours.mon = ['9:00-12:00'];
        nanming.services.push('XX-0001');
        const hall = f.points.find((p: { code: string }) => p.code === 'GY-HALL-HPF');
        hall.services = hall.services.filter((s: string) => s !== 'HF-0001');
      }),
    );
    expect(code).toBe(1);
    expect(output).toContain('GY-DC-520102.location: (27.0925, 106.7398) is not inside district 520102');
    expect(output).toContain('GY-DC-520102.hours.mon: "9:00-12:00" is not HH:MM-HH:MM');
    expect(output).toContain('GY-DC-520102.services: XX-0001 is not a service');
    expect(output).toContain('no DEPARTMENT_HALL handles HF-0001');
  });

  it('fails on a 调休 day that is not a weekend and a holiday that ends before it starts', () => {
    const { code, output } = checkEdited((dir) =>
      editJson(dir, 'calendar/holidays.json', (f) => {
        f.years[1].workingWeekendDays.push({ date: '2026-03-04', for: 'x' });
        f.years[1].holidays[0].to = '2025-12-31';
      }),
    );
    expect(code).toBe(1);
    expect(output).toContain('2026-03-04 is not a Saturday or Sunday');
    expect(output).toContain('holidays[0]: ends before it starts');
  });
});
