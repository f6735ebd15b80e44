import { nextWatermark } from './rollup-worker';

describe('nextWatermark', () => {
  it('passes every transaction through the run and lists the ones still running', () => {
    expect(nextWatermark({ from: '100', pending: [], running: ['90', '104', '120'] }, '110')).toEqual({
      appliedBelow: '111',
      pendingXids: ['104'],
    });
  });

  it('keeps a pending transaction until it has ended, and drops it then', () => {
    const run = { from: '100', pending: ['95', '97'], running: ['95', '130'] };
    expect(nextWatermark(run, '120')).toEqual({ appliedBelow: '121', pendingXids: ['95'] });
    expect(nextWatermark({ ...run, running: [] }, '120')).toEqual({ appliedBelow: '121', pendingXids: [] });
  });

  it('never moves back, and leaves running transactions past the chunk to the range', () => {
    expect(nextWatermark({ from: '100', pending: ['50'], running: ['50', '102'] }, '99')).toEqual({
      appliedBelow: '100',
      pendingXids: ['50'],
    });
    expect(nextWatermark({ from: '100', pending: [], running: ['105'] }, '103')).toEqual({
      appliedBelow: '104',
      pendingXids: [],
    });
  });

  it('compares 64-bit ids as numbers, not as text', () => {
    expect(nextWatermark({ from: '9999999999', pending: [], running: ['10000000001'] }, '10000000005')).toEqual({
      appliedBelow: '10000000006',
      pendingXids: ['10000000001'],
    });
  });
});
