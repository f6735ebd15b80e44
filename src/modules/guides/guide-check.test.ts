import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Channel } from '../catalogue/catalogue.enums';
import type { GuideData } from './guide';
import { guideDataOf, guideFaults } from './guide-check';
import type { ServiceGuideInput } from './guide.inputs';
import type { MaterialForm, ServicePointKind } from './guide.types';

const seeds = path.join(__dirname, '..', '..', '..', 'seeds', 'catalogue');
const guides = JSON.parse(readFileSync(path.join(seeds, 'guides.json'), 'utf8')) as Record<string, GuideData>;
const services = JSON.parse(readFileSync(path.join(seeds, 'services.json'), 'utf8')) as {
  code: string;
  channels: Channel[];
}[];

const inputOf = (g: GuideData): ServiceGuideInput => ({
  materials: g.materials.map((m) => ({ ...m, form: m.form as MaterialForm })),
  conditions: g.conditions,
  fee: { free: g.fee.free, amount: g.fee.amount ?? null, basis: g.fee.basis ?? null },
  legalTimeLimitDays: g.timeLimits.legalWorkingDays,
  promisedTimeLimitDays: g.timeLimits.promisedWorkingDays,
  where: {
    onlineUrl: g.where.online,
    apps: g.where.apps,
    pointKinds: g.where.pointKinds as ServicePointKind[],
    venue: g.where.venue,
  },
  consultationPhone: g.phone,
  legalBasis: g.legalBasis,
});

describe('guideFaults', () => {
  it('accepts every seeded guide, as check-guides.mjs does, and stores it back in the seeded shape', () => {
    for (const s of services) {
      expect([s.code, guideFaults(inputOf(guides[s.code]), s.channels, 'guide')]).toEqual([s.code, []]);
      expect(guideDataOf(inputOf(guides[s.code]))).toEqual(guides[s.code]);
    }
  });

  it('names each broken rule under its field', () => {
    const passport = services.find((s) => s.code === 'HR-0015')!;
    const guide = inputOf(guides['HR-0015']);
    const faults = guideFaults(
      { ...guide, promisedTimeLimitDays: 30, legalBasis: ['护照法'], where: { ...guide.where, apps: [] } },
      passport.channels,
      'input.guide',
    );
    expect(faults.map((f) => [f.property, Object.keys(f.constraints!)[0]])).toEqual([
      ['input.guide.promisedTimeLimitDays', 'withinLegalLimit'],
      ['input.guide.where.apps', 'matchesChannels'],
      ['input.guide.legalBasis[0]', 'namedLaw'],
    ]);
  });
});
