import {
  DEFAULT_FIT,
  engineTop,
  fitTuningOn,
  fitWindow,
  meanNdcg,
  sourceBefore,
  splitQueries,
  type FitOptions,
} from '../../src/modules/matching/ranking-fit';
import { parametersOf, TUNING } from '../../src/modules/matching/ranking-model';
import { buildWorld, WORLD_END, worldSource } from './worlds';

// A small world of co-use chains, where the defaults are not the best blend: the fit must move
// the parameters, and the moved parameters must rank differently and better on the fit week.
const options: FitOptions = { ...DEFAULT_FIT, end: WORLD_END, minQueries: 20, maxQueries: 150, rounds: 1 };

describe('ranking fit on a simulated world', () => {
  const world = buildWorld('chains', { citizens: 500, seed: 3 });
  const source = worldSource(world);
  const window = fitWindow(options);

  it('reads nothing of the evaluation week, and fits parameters that change the ranking', async () => {
    const fit = await fitTuningOn(sourceBefore(source, window.evaluationFrom), options);
    if (!('tuning' in fit)) throw new Error('too little data in the test world');
    expect(fit.trace.moves.length).toBeGreaterThan(0);
    // The guard reads the week before the fit week, not the evaluation week.
    const validation = fit.trace.validation!;
    expect(new Date(validation.to)).toEqual(window.fitFrom);
    expect(new Date(validation.from)).toEqual(new Date(window.fitFrom.getTime() - options.fitDays * 86_400_000));
    expect(validation.kept).not.toBe('defaults');
    expect(parametersOf(fit.tuning)).not.toEqual(parametersOf(TUNING));
    const fitWeek = await splitQueries(source, window.fitFrom, window.evaluationFrom, options);
    expect(meanNdcg(fitWeek, fit.tuning)).toBeGreaterThan(meanNdcg(fitWeek, TUNING));
    const changed = fitWeek.queries.filter(
      (q) => engineTop(q, fitWeek.slots, fit.tuning).join() !== engineTop(q, fitWeek.slots, TUNING).join(),
    );
    expect(changed.length).toBeGreaterThan(0);
  }, 120_000);

  it('turns on, from the signals alone, a part that is off by default where needs come in bursts', async () => {
    const bursts = buildWorld('bursts', { citizens: 500, seed: 3 });
    const fit = await fitTuningOn(sourceBefore(worldSource(bursts), window.evaluationFrom), options);
    if (!('tuning' in fit)) throw new Error('too little data in the test world');
    const offByDefault = ['tasteFading', 'historyFading', 'recentTaste', 'relatedTaste'] as const;
    for (const name of offByDefault) expect(TUNING[name]).toBe(0);
    expect(offByDefault.some((name) => fit.tuning[name] > 0)).toBe(true);
  }, 120_000);

  it('searches again from the city’s demand of its last days, and ends with that demand where citywide waves make it pay', async () => {
    const waves = buildWorld('waves', { citizens: 500, seed: 3 });
    const fit = await fitTuningOn(sourceBefore(worldSource(waves), window.evaluationFrom), options);
    if (!('tuning' in fit)) throw new Error('too little data in the test world');
    expect(fit.trace.searches!.map((s) => s.start)).toEqual([{}, { trendMix: 1 }]);
    // Whichever search found it (the first one does since the segment prior grew with the catalogue).
    expect(fit.tuning.trendMix).toBeGreaterThan(0);
    const [first, second] = fit.trace.searches!;
    expect([first.kept, second.kept].filter(Boolean)).toHaveLength(1);
  }, 120_000);

  it('refuses the fit any signal of the evaluation week', async () => {
    const guarded = sourceBefore(source, window.evaluationFrom);
    await expect(guarded.signals(window.fitFrom, window.evaluationTo)).rejects.toThrow(/may not read signals after/);
    await expect(guarded.signals(window.fitFrom, window.evaluationFrom)).resolves.toBeDefined();
  });
});
