import { textFault } from '../../core/input-checks';
import { SignalKind } from '../signals/signal-kind';
import { DISTRICT_ATTRIBUTE, ELIGIBILITY_ATTRIBUTE, KIND_ATTRIBUTE, Open311Error } from './open311.mapping';
import { districtAtGps } from '../../geo/districts';
import { isBlankText } from '../../text';

/** A POST requests.json body, checked: everything the facade uses, nothing else. */
export interface PostedRequest {
  serviceCode: string;
  description: string;
  kind: SignalKind.REQUEST | SignalKind.COMPLAINT;
  districtCode: string;
  lat: number | null;
  long: number | null;
  addressString: string | null;
  addressId: string | null;
  mediaUrl: string | null;
  /** The client's own ids of the person or device (a repeat poster is one citizen). */
  accountId: string | null;
  deviceId: string | null;
}

/** The form fields of the spec; any other field (but attribute[…]) is refused. */
const FIELDS = new Set([
  'api_key',
  'jurisdiction_id',
  'service_code',
  'description',
  'lat',
  'long',
  'address_string',
  'address_id',
  'email',
  'device_id',
  'account_id',
  'first_name',
  'last_name',
  'phone',
  'media_url',
]);
const ATTRIBUTE = /^attribute\[([^\]]*)\]$/;
const MAX_LENGTH: Record<string, number> = {
  service_code: 32,
  description: 4000,
  address_string: 1000,
  address_id: 128,
  email: 254,
  device_id: 128,
  account_id: 128,
  first_name: 100,
  last_name: 100,
  phone: 32,
  media_url: 2048,
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s()-]{3,32}$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export type FormBody = Record<string, string | string[] | undefined>;

function coordinate(raw: string | null, field: string, limit: number): number | null {
  if (raw === null) return null;
  const value = Number(raw);
  if (!DECIMAL.test(raw) || !Number.isFinite(value) || Math.abs(value) > limit) {
    throw new Open311Error(400, `${field} must be a decimal from -${limit} to ${limit} (WGS84), got "${raw}"`);
  }
  return value;
}

/** The district of a WGS-84 position (converted to GCJ-02 for the boundaries); a 400 outside the city. */
function districtOfPosition(lat: number, long: number): string {
  const code = districtAtGps({ lat, long });
  if (!code) {
    throw new Open311Error(400, `lat and long (WGS84) lie outside Guiyang: send attribute[${DISTRICT_ATTRIBUTE}]`);
  }
  return code;
}

/**
 * Checks a form-encoded POST requests.json body (after the api_key). Every refusal is a 400
 * with one description naming the field.
 */
export function parsePostedRequest(body: FormBody, districtCodes: ReadonlySet<string>): PostedRequest {
  const scalars = new Map<string, string>();
  const attributes = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    if (Array.isArray(value)) throw new Open311Error(400, `${name} is given more than once`);
    if (value === undefined) continue;
    const fault = textFault(value);
    if (fault) throw new Open311Error(400, `${name} ${fault.message}`);
    const attribute = ATTRIBUTE.exec(name);
    if (attribute) attributes.set(attribute[1], value);
    else if (FIELDS.has(name)) scalars.set(name, value);
    else throw new Open311Error(400, `${name} is not a field of a service request`);
  }
  for (const [name, value] of scalars) {
    const max = MAX_LENGTH[name];
    if (max !== undefined && value.length > max)
      throw new Open311Error(400, `${name} must be at most ${max} characters`);
  }
  const text = (name: string): string | null => {
    const value = scalars.get(name)?.trim();
    return value != null && !isBlankText(value) ? value : null;
  };

  const serviceCode = text('service_code');
  if (!serviceCode) throw new Open311Error(400, 'service_code was not provided');
  const description = text('description');
  if (!description) throw new Open311Error(400, 'description was not provided: say what is needed, or what went wrong');

  const lat = coordinate(text('lat'), 'lat', 90);
  const long = coordinate(text('long'), 'long', 180);
  if ((lat === null) !== (long === null)) throw new Open311Error(400, 'lat and long must be given together');
  const addressString = text('address_string');
  const addressId = text('address_id');
  if (lat === null && !addressString && !addressId) {
    throw new Open311Error(400, 'a location is required: lat and long, address_string or address_id');
  }

  const email = text('email');
  if (email && !EMAIL.test(email)) throw new Open311Error(400, 'email is not an email address');
  const phone = text('phone');
  if (phone && !PHONE.test(phone)) throw new Open311Error(400, 'phone is not a telephone number');
  const mediaUrl = text('media_url');
  if (mediaUrl && !isHttpUrl(mediaUrl)) throw new Open311Error(400, 'media_url must be an http or https URL');

  let kind: PostedRequest['kind'] = SignalKind.REQUEST;
  let districtCode: string | undefined;
  for (const [code, value] of attributes) {
    if (code === KIND_ATTRIBUTE) {
      if (value !== SignalKind.REQUEST && value !== SignalKind.COMPLAINT) {
        throw new Open311Error(400, `attribute[${KIND_ATTRIBUTE}] must be REQUEST or COMPLAINT, got "${value}"`);
      }
      kind = value;
    } else if (code === DISTRICT_ATTRIBUTE) {
      if (!districtCodes.has(value))
        throw new Open311Error(
          400,
          `attribute[${DISTRICT_ATTRIBUTE}] must be one of the service definition's district codes, got "${value}"`,
        );
      districtCode = value;
    } else if (code === ELIGIBILITY_ATTRIBUTE) {
      throw new Open311Error(400, `attribute[${ELIGIBILITY_ATTRIBUTE}] is information only and takes no value`);
    } else {
      throw new Open311Error(400, `attribute[${code}] is not an attribute of the service definition`);
    }
  }
  if (!districtCode && lat !== null && long !== null) districtCode = districtOfPosition(lat, long);
  if (!districtCode) {
    throw new Open311Error(400, `attribute[${DISTRICT_ATTRIBUTE}] was not provided, nor lat and long`);
  }

  return {
    serviceCode,
    description,
    kind,
    districtCode,
    lat,
    long,
    addressString,
    addressId,
    mediaUrl,
    accountId: text('account_id'),
    deviceId: text('device_id'),
  };
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
