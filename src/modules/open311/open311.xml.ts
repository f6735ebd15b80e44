import { XMLBuilder } from 'fast-xml-parser';

/** The GeoReport v2 formats this facade serves. */
export type Open311Format = 'json' | 'xml';
export const OPEN311_FORMATS: readonly Open311Format[] = ['json', 'xml'];

/** GeoReport v2's element name of each list's items. */
const ITEM_OF: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

/** Characters XML 1.0 cannot carry (control characters other than tab, newline and return; lone surrogates). */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false, processEntities: true });

/** A JSON answer's value as builder input: lists wrapped in their item elements, null as an empty element. */
function shape(value: unknown, name: string): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    const item = ITEM_OF[name] ?? 'item';
    return { [item]: value.map((v) => shape(v, item)) };
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v, k)]));
  }
  if (typeof value === 'string') return value.replace(NOT_XML, '');
  return String(value);
}

/**
 * The XML of a JSON answer, as GeoReport v2 writes it: the root element `root` (services,
 * service_requests, errors, service_definition, discovery), each list's items in their
 * singular element (service, request, error, attribute, value, endpoint, format), text escaped.
 */
export function toOpen311Xml(root: string, body: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: shape(body, root) })}`;
}
