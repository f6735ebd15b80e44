import { DUE_FIT_DELAY_MS, firstFitInMs } from './ranking-fit.job';

const HOUR = 3_600_000;
const now = Date.parse('2026-12-06T12:00:00Z');

describe('when the first fit of a process runs', () => {
  it('runs soon after the start when nothing was fitted yet', () => {
    expect(firstFitInMs(null, 24 * HOUR, now)).toBe(DUE_FIT_DELAY_MS);
  });

  it('keeps the interval from the last stored fit across restarts', () => {
    expect(firstFitInMs(new Date(now - 20 * HOUR), 24 * HOUR, now)).toBe(4 * HOUR);
  });

  it('runs soon after the start when the last fit is overdue, not during the start', () => {
    expect(firstFitInMs(new Date(now - 30 * HOUR), 24 * HOUR, now)).toBe(DUE_FIT_DELAY_MS);
    expect(firstFitInMs(new Date(now - 24 * HOUR + 1_000), 24 * HOUR, now)).toBe(DUE_FIT_DELAY_MS);
  });
});
