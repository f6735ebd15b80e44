import type { FieldError } from '../../core/errors';
import { Channel } from '../catalogue/catalogue.enums';
import type { GuideData } from './guide';
import type { ServiceGuideInput } from './guide.inputs';
import { isBlankText } from '../../text';

/** The rules of seeds/catalogue/check-guides.mjs, for a guide sent through the API. */
const PHONE = /^(\d{3,5}|0851-\d{8})$/;
const NAMED_LAW = /《[^《》]+》/;
const HTTPS = /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?$/;

const isText = (value: string | null | undefined): value is string => typeof value === 'string' && !isBlankText(value);

/**
 * What is wrong with a guide for a service with `channels`, each fault under `path`
 * (e.g. input.guide.fee.amount) with the name of the rule broken. Empty when it is complete.
 */
export function guideFaults(guide: ServiceGuideInput, channels: readonly Channel[], path: string): FieldError[] {
  const faults: FieldError[] = [];
  const fault = (field: string, rule: string, message: string) =>
    faults.push({ property: `${path}.${field}`, constraints: { [rule]: message } });
  const texts = (field: string, values: string[]) => {
    if (values.length === 0) fault(field, 'arrayNotEmpty', `${field} must not be empty`);
    values.forEach((v, i) => {
      if (!isText(v)) fault(`${field}[${i}]`, 'isNotEmpty', `${field}[${i}] must not be blank`);
    });
    if (new Set(values.map((v) => v.trim())).size !== values.length)
      fault(field, 'arrayUnique', `${field} has duplicates`);
  };

  if (guide.materials.length === 0) fault('materials', 'arrayNotEmpty', 'a guide lists at least one material');
  guide.materials.forEach((m, i) => {
    if (!isText(m.name)) fault(`materials[${i}].name`, 'isNotEmpty', 'a material needs a name');
    if (m.notes != null && !isText(m.notes))
      fault(`materials[${i}].notes`, 'isNotEmpty', 'notes must be null or not blank');
  });
  texts('conditions', guide.conditions);

  const { fee } = guide;
  if (fee.free && (fee.amount != null || fee.basis != null))
    fault('fee', 'freeHasNoAmount', 'a free service has no amount nor basis');
  if (!fee.free && !isText(fee.amount)) fault('fee.amount', 'isNotEmpty', 'a fee must say the amount');
  if (!fee.free && !isText(fee.basis)) fault('fee.basis', 'isNotEmpty', 'a fee must say on what basis it is charged');

  if (guide.promisedTimeLimitDays > guide.legalTimeLimitDays) {
    fault(
      'promisedTimeLimitDays',
      'withinLegalLimit',
      `the promised limit (${guide.promisedTimeLimitDays}) exceeds the legal limit (${guide.legalTimeLimitDays})`,
    );
  }

  whereFaults(guide, new Set(channels), fault);
  if (!PHONE.test(guide.consultationPhone)) {
    fault('consultationPhone', 'hotline', 'consultationPhone must be a hotline (3–5 digits) or 0851-XXXXXXXX');
  }
  texts('legalBasis', guide.legalBasis);
  guide.legalBasis.forEach((b, i) => {
    if (isText(b) && !NAMED_LAW.test(b))
      fault(`legalBasis[${i}]`, 'namedLaw', 'a legal basis names a law or regulation in 《》');
  });
  return faults;
}

function whereFaults(
  guide: ServiceGuideInput,
  channels: Set<Channel>,
  fault: (field: string, rule: string, message: string) => void,
): void {
  const { onlineUrl, apps, pointKinds, venue } = guide.where;
  if (onlineUrl != null && !HTTPS.test(onlineUrl))
    fault('where.onlineUrl', 'https', 'onlineUrl must be an https address');
  if (channels.has(Channel.ONLINE) !== (onlineUrl != null)) {
    fault('where.onlineUrl', 'matchesChannels', 'onlineUrl is given exactly when the service has the ONLINE channel');
  }
  apps.forEach((a, i) => {
    if (!isText(a)) fault(`where.apps[${i}]`, 'isNotEmpty', 'an app needs a name');
  });
  if (channels.has(Channel.APP) !== apps.length > 0) {
    fault('where.apps', 'matchesChannels', 'apps are named exactly when the service has the APP channel');
  }
  if (new Set(pointKinds).size !== pointKinds.length)
    fault('where.pointKinds', 'arrayUnique', 'pointKinds has duplicates');
  if (!channels.has(Channel.SERVICE_WINDOW) && pointKinds.length > 0) {
    fault('where.pointKinds', 'matchesChannels', 'the service has no SERVICE_WINDOW channel, so no point handles it');
  }
  if (channels.has(Channel.SERVICE_WINDOW) && pointKinds.length === 0 && !isText(venue)) {
    fault('where', 'windowOrVenue', 'a SERVICE_WINDOW service names the kinds of point that handle it, or a venue');
  }
  if (venue != null && !isText(venue)) fault('where.venue', 'isNotEmpty', 'venue must be null or not blank');
}

/** A checked guide input in the stored shape (that of seeds/catalogue/guides.json). */
export function guideDataOf(guide: ServiceGuideInput): GuideData {
  const text = (value: string | null | undefined) => (isText(value) ? value.trim() : null);
  return {
    materials: guide.materials.map((m) => ({
      name: m.name.trim(),
      form: m.form,
      count: m.count,
      notes: text(m.notes),
    })),
    conditions: guide.conditions.map((c) => c.trim()),
    fee: guide.fee.free
      ? { free: true }
      : { free: false, amount: guide.fee.amount!.trim(), basis: guide.fee.basis!.trim() },
    timeLimits: { legalWorkingDays: guide.legalTimeLimitDays, promisedWorkingDays: guide.promisedTimeLimitDays },
    where: {
      online: guide.where.onlineUrl ?? null,
      apps: guide.where.apps.map((a) => a.trim()),
      pointKinds: [...guide.where.pointKinds],
      venue: text(guide.where.venue),
    },
    phone: guide.consultationPhone,
    legalBasis: guide.legalBasis.map((b) => b.trim()),
  };
}
