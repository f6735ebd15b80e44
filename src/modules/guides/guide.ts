import type { MaterialForm, ServiceGuide, ServicePointKind } from './guide.types';

/** A guide as stored (the shape of seeds/catalogue/guides.json). */
export interface GuideData {
  materials: { name: string; form: string; count: number; notes: string | null }[];
  conditions: string[];
  fee: { free: boolean; amount?: string; basis?: string };
  timeLimits: { legalWorkingDays: number; promisedWorkingDays: number };
  where: { online: string | null; apps: string[]; pointKinds: string[]; venue: string | null };
  phone: string;
  legalBasis: string[];
}

/** The stored guide as the API shows it. */
export function toServiceGuide(data: GuideData): ServiceGuide {
  return {
    materials: data.materials.map((m) => ({
      name: m.name,
      form: m.form as MaterialForm,
      count: m.count,
      notes: m.notes,
    })),
    conditions: data.conditions,
    fee: { free: data.fee.free, amount: data.fee.amount ?? null, basis: data.fee.basis ?? null },
    legalTimeLimitDays: data.timeLimits.legalWorkingDays,
    promisedTimeLimitDays: data.timeLimits.promisedWorkingDays,
    where: {
      onlineUrl: data.where.online ?? null,
      apps: data.where.apps ?? [],
      pointKinds: (data.where.pointKinds ?? []) as ServicePointKind[],
      venue: data.where.venue ?? null,
    },
    consultationPhone: data.phone,
    legalBasis: data.legalBasis,
  };
}

/** A jsonb guide as a driver returns it (an object, or its text with some drivers); null stays null. */
export function parseGuide(value: GuideData | string | null | undefined): GuideData | null {
  if (value == null) return null;
  return typeof value === 'string' ? (JSON.parse(value) as GuideData) : value;
}
