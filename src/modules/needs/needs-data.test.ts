import { readCatalogueSeed } from '../../../seeds/catalogue';
import { buildNeedsModel, NeedsDataError, readNeedsData, seededNeedsModel, type NeedsData } from './needs-data';

const catalogue = readCatalogueSeed();
const serviceCodes = new Set(catalogue.services.map((s) => s.code));
const model = seededNeedsModel();

describe('the seeded needs model', () => {
  it('refers only to services of the seed catalogue, and every one of them meets some need', () => {
    expect(() => buildNeedsModel(readNeedsData(), serviceCodes)).not.toThrow();
    const uncovered = catalogue.services.filter((s) => model.needsOfService(s.code).length === 0).map((s) => s.code);
    expect(uncovered).toEqual([]);
  });

  it('indexes needs by life event, service and trigger phrase', () => {
    expect(model.lifeEvents.length).toBeGreaterThanOrEqual(20);
    expect(model.needs.length).toBeGreaterThanOrEqual(150);
    for (const event of model.lifeEvents) expect(model.needsOfLifeEvent(event.code).length).toBeGreaterThan(0);

    expect(model.needsOfService('SS-0005').map((n) => n.code)).toContain('pension-claim');
    expect(model.needsOfLifeEvent('death').map((n) => n.code)).toEqual(
      expect.arrayContaining(['deceased-hukou', 'funeral-booking', 'survivor-benefits']),
    );
    expect(model.needsOfTrigger('房东赶我走').map((n) => n.code)).toEqual(['tenancy-dispute']);
    expect(model.need('tenancy-dispute')?.services).toEqual(expect.arrayContaining(['LA-0003', 'LA-0001']));
  });

  it('finds a trigger phrase written in traditional script, full width or another case', () => {
    expect(model.needsOfTrigger('我爸上個月退休了').map((n) => n.code)).toEqual(['pension-claim']);
    expect(model.needsOfTrigger('老公打我').map((n) => n.code)).toEqual(['domestic-violence']);
    expect(model.needsOfTrigger('ＭＹ HUSBAND BEATS ME').map((n) => n.code)).toEqual(['domestic-violence']);
    expect(model.needsOfTrigger('something nobody says')).toEqual([]);
  });

  it('knows whom each need is for', () => {
    const cremation = model.need('pet-cremation')!;
    expect(model.audienceKinds(cremation)).toEqual(new Set(['ANIMAL']));
    expect(model.audienceKinds(model.need('funeral-booking')!)).toEqual(new Set(['PERSON']));
    expect(model.audienceKinds(model.need('new-car-registration')!)).toEqual(new Set(['THING']));
  });

  it('knows whom each service is for, and that no service of the catalogue is for a pet', () => {
    expect(model.serviceAudiences('TL-0004')).toEqual(new Set(['vehicle']));
    expect(model.serviceAudiences('FC-0011')).toEqual(new Set(['self', 'family']));
    expect(model.serviceAudiences('XX-0000')).toEqual(new Set());
    const forPets = catalogue.services.filter((s) => model.serviceAudiences(s.code).has('pet'));
    expect(forPets).toEqual([]);
  });

  it('lists as unmet the needs no published service meets, including those the catalogue lacks', () => {
    const all = model.unmetNeeds(serviceCodes).map((n) => n.code);
    expect(all).toEqual(expect.arrayContaining(['pet-cremation', 'pet-vaccination', 'e-bike-registration']));
    expect(all).not.toContain('pension-claim');

    const withoutPensionClaim = new Set([...serviceCodes].filter((code) => code !== 'SS-0005'));
    expect(model.unmetNeeds(withoutPensionClaim).map((n) => n.code)).toContain('pension-claim');
    expect(model.publishedServices(model.need('tenancy-dispute')!, new Set(['LA-0001']))).toEqual(['LA-0001']);
  });
});

describe('life event bundles', () => {
  it('gathers the published services across departments that settle a death in the family', () => {
    const bundle = model.lifeEventBundle('death', serviceCodes)!;
    expect(bundle.lifeEvent.name).toBe('身后事');
    expect(bundle.services).toEqual(expect.arrayContaining(['HR-0013', 'CA-0010', 'CA-0009', 'SS-0016', 'LA-0004']));
    expect(bundle.departments).toEqual(expect.arrayContaining(['GY-PSB', 'GY-CA', 'GY-HRSS-SIA', 'GY-JUS', 'GY-HPF']));
    const housingFund = bundle.needs.find((n) => n.need.code === 'deceased-housing-fund')!;
    expect(housingFund.services).toEqual([]);
  });

  it('has services from more than one department for every life event the city serves', () => {
    for (const event of model.lifeEvents) {
      const bundle = model.lifeEventBundle(event.code, serviceCodes)!;
      if (bundle.services.length === 0) continue;
      const leads = new Set(bundle.services.map((code) => catalogue.services.find((s) => s.code === code)!.department));
      expect([event.code, leads.size > 1]).toEqual([event.code, true]);
    }
  });

  it('leaves out services that are not published and answers nothing for an unknown event', () => {
    const withoutCremation = new Set([...serviceCodes].filter((code) => code !== 'CA-0010'));
    expect(model.lifeEventBundle('death', withoutCremation)!.services).not.toContain('CA-0010');
    expect(model.lifeEventBundle('wedding', serviceCodes)).toBeUndefined();
  });
});

describe('buildNeedsModel', () => {
  const base = (): NeedsData => ({
    audiences: [{ code: 'self', name: '本人', nameZhHant: '本人', nameEn: 'The person asking', kind: 'PERSON' }],
    lifeEvents: [{ code: 'birth', name: '出生', nameZhHant: '出生', nameEn: 'Birth', summary: '出生' }],
    needs: [
      {
        code: 'a',
        name: '甲',
        nameZhHant: '甲',
        nameEn: 'A',
        audiences: ['self'],
        lifeEvents: ['birth'],
        services: ['SS-0001'],
        departments: ['GY-HRSS'],
        triggers: ['孩子出生'],
      },
    ],
  });

  it('accepts consistent data', () => {
    expect(buildNeedsModel(base(), new Set(['SS-0001'])).needs).toHaveLength(1);
  });

  it('refuses data that refers to what it does not define, saying what', () => {
    const data = base();
    data.needs.push({ ...data.needs[0], lifeEvents: ['wedding'], audiences: ['pet'], services: ['XX-0001'] });
    let error: unknown;
    try {
      buildNeedsModel(data, new Set(['SS-0001']));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NeedsDataError);
    expect((error as NeedsDataError).problems).toEqual([
      'need a defined twice',
      'need a: unknown audience pet',
      'need a: unknown life event wedding',
      'need a: unknown service XX-0001',
    ]);
  });
});
