#!/usr/bin/env node
// Validates the data that lets a citizen act on the catalogue:
//   seeds/catalogue/guides.json         a service guide (办事指南) for every service
//   seeds/service-points/points.json    service windows, their hours and the services each handles
//   seeds/calendar/holidays.json        public holidays and 调休 working days
//   seeds/geo/guiyang-districts.geo.json district boundaries (GCJ-02)
// Usage: node seeds/catalogue/check-guides.mjs   (exits 1 with a list of problems on failure)
import { readFileSync } from 'node:fs';

const seeds = (p) => new URL(`../${p}`, import.meta.url);
const errors = [];
const fail = (msg) => errors.push(msg);

function load(p, fallback) {
  try {
    return JSON.parse(readFileSync(seeds(p), 'utf8'));
  } catch (e) {
    fail(`${p}: cannot read or parse (${e.message})`);
    return fallback;
  }
}

const services = load('catalogue/services.json', []);
const departments = load('catalogue/departments.json', []);
const districts = load('catalogue/districts.json', []);
const guides = load('catalogue/guides.json', {});
const pointFile = load('service-points/points.json', { points: [] });
const holidayFile = load('calendar/holidays.json', { years: [] });
const boundaries = load('geo/guiyang-districts.geo.json', { features: [] });

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v) => typeof v === 'string' && v.trim().length > 0;
const isCount = (v) => Number.isInteger(v) && v >= 0;

/** Reports missing and unknown fields; true when the object has exactly `keys`. */
function fields(where, obj, keys) {
  if (!isObj(obj)) {
    fail(`${where}: must be an object`);
    return false;
  }
  let ok = true;
  for (const k of keys)
    if (!(k in obj)) {
      fail(`${where}: missing field "${k}"`);
      ok = false;
    }
  for (const k of Object.keys(obj))
    if (!keys.includes(k)) {
      fail(`${where}: unknown field "${k}"`);
      ok = false;
    }
  return ok;
}

function nonEmptyStrings(where, v) {
  if (!Array.isArray(v) || v.length === 0) return fail(`${where}: must be a non-empty list`);
  v.forEach((s, i) => {
    if (!isStr(s)) fail(`${where}[${i}]: must be a non-empty string`);
  });
  if (new Set(v).size !== v.length) fail(`${where}: has duplicates`);
}

const serviceByCode = new Map(services.map((s) => [s.code, s]));
const departmentCodes = new Set(departments.map((d) => d.code));
const districtCodes = new Set(districts.map((d) => d.code));

// ------------------------------------------------------------------- guides
const FORMS = new Set(['ORIGINAL', 'COPY', 'ORIGINAL_AND_COPY', 'ELECTRONIC']);
const POINT_KINDS = new Set(['CITY_CENTRE', 'DISTRICT_CENTRE', 'STREET_CENTRE', 'DEPARTMENT_HALL']);
const PHONE = /^(\d{3,5}|0851-\d{8})$/;
const NAMED_LAW = /《[^《》]+》/;

if (!isObj(guides)) fail('guides.json: must be an object keyed by service code');
for (const s of services) if (isObj(guides) && !(s.code in guides)) fail(`guides.json: no guide for service ${s.code}`);
for (const [code, g] of Object.entries(isObj(guides) ? guides : {})) {
  const w = `guides.json ${code}`;
  const svc = serviceByCode.get(code);
  if (!svc) fail(`${w}: no such service in services.json`);
  if (!fields(w, g, ['materials', 'conditions', 'fee', 'timeLimits', 'where', 'phone', 'legalBasis'])) continue;

  if (!Array.isArray(g.materials) || g.materials.length === 0) fail(`${w}.materials: must be a non-empty list`);
  else
    g.materials.forEach((m, i) => {
      const mw = `${w}.materials[${i}]`;
      if (!fields(mw, m, ['name', 'form', 'count', 'notes'])) return;
      if (!isStr(m.name)) fail(`${mw}.name: must be a non-empty string`);
      if (!FORMS.has(m.form))
        fail(`${mw}.form: must be one of ${[...FORMS].join(', ')}, got ${JSON.stringify(m.form)}`);
      if (!Number.isInteger(m.count) || m.count < 1) fail(`${mw}.count: must be a whole number ≥ 1`);
      if (m.notes !== null && !isStr(m.notes)) fail(`${mw}.notes: must be null or a non-empty string`);
    });
  nonEmptyStrings(`${w}.conditions`, g.conditions);

  if (isObj(g.fee) && g.fee.free === true) fields(`${w}.fee`, g.fee, ['free']);
  else if (isObj(g.fee) && g.fee.free === false) {
    if (fields(`${w}.fee`, g.fee, ['free', 'amount', 'basis'])) {
      if (!isStr(g.fee.amount)) fail(`${w}.fee.amount: must say the amount`);
      if (!isStr(g.fee.basis)) fail(`${w}.fee.basis: must say on what basis the fee is charged`);
    }
  } else fail(`${w}.fee: must be {"free": true} or {"free": false, "amount", "basis"}`);

  if (fields(`${w}.timeLimits`, g.timeLimits, ['legalWorkingDays', 'promisedWorkingDays'])) {
    const { legalWorkingDays: legal, promisedWorkingDays: promised } = g.timeLimits;
    if (!isCount(legal)) fail(`${w}.timeLimits.legalWorkingDays: must be a whole number ≥ 0 (0 = 即办)`);
    if (!isCount(promised)) fail(`${w}.timeLimits.promisedWorkingDays: must be a whole number ≥ 0 (0 = 即办)`);
    if (isCount(legal) && isCount(promised) && promised > legal) {
      fail(`${w}.timeLimits: promised (${promised}) exceeds the legal limit (${legal})`);
    }
  }

  if (fields(`${w}.where`, g.where, ['online', 'apps', 'pointKinds', 'venue'])) {
    const { online, apps, pointKinds, venue } = g.where;
    const channels = new Set(svc?.channels ?? []);
    if (online !== null && !(typeof online === 'string' && /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?$/.test(online))) {
      fail(`${w}.where.online: must be null or an https address, got ${JSON.stringify(online)}`);
    }
    if (svc && channels.has('ONLINE') !== (online !== null)) {
      fail(`${w}.where.online: must be given exactly when the service has the ONLINE channel`);
    }
    if (!Array.isArray(apps) || apps.some((a) => !isStr(a))) fail(`${w}.where.apps: must be a list of app names`);
    else if (svc && channels.has('APP') !== apps.length > 0) {
      fail(`${w}.where.apps: must name an app exactly when the service has the APP channel`);
    }
    if (!Array.isArray(pointKinds) || pointKinds.some((k) => !POINT_KINDS.has(k))) {
      fail(`${w}.where.pointKinds: must be a list of ${[...POINT_KINDS].join(', ')}`);
    } else if (svc) {
      if (!channels.has('SERVICE_WINDOW') && pointKinds.length > 0) {
        fail(`${w}.where.pointKinds: the service has no SERVICE_WINDOW channel`);
      }
      if (channels.has('SERVICE_WINDOW') && pointKinds.length === 0 && !isStr(venue)) {
        fail(`${w}.where: a SERVICE_WINDOW service needs pointKinds or a venue`);
      }
    }
    if (venue !== null && !isStr(venue)) fail(`${w}.where.venue: must be null or a non-empty string`);
  }
  if (!(typeof g.phone === 'string' && PHONE.test(g.phone))) {
    fail(`${w}.phone: must be a hotline (3–5 digits) or 0851-XXXXXXXX, got ${JSON.stringify(g.phone)}`);
  }
  nonEmptyStrings(`${w}.legalBasis`, g.legalBasis);
  if (Array.isArray(g.legalBasis))
    g.legalBasis.forEach((b, i) => {
      if (isStr(b) && !NAMED_LAW.test(b)) fail(`${w}.legalBasis[${i}]: must name a law or regulation in 《》`);
    });
}

// --------------------------------------------------------------- holidays
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s) => typeof s === 'string' && DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const dayOf = (s) => Date.parse(`${s}T00:00:00Z`) / 86_400_000;
const weekday = (s) => new Date(`${s}T00:00:00Z`).getUTCDay();
const daysOff = new Set();
if (fields('holidays.json', holidayFile, ['timeZone', 'about', 'years'])) {
  if (holidayFile.timeZone !== 'Asia/Shanghai') fail('holidays.json.timeZone: must be Asia/Shanghai');
  let previous = 0;
  for (const [i, y] of (Array.isArray(holidayFile.years) ? holidayFile.years : []).entries()) {
    const w = `holidays.json years[${i}]`;
    const keys = ['year', 'status', 'source', 'holidays', 'workingWeekendDays'];
    if (!fields(w, y, y?.status === 'provisional' ? [...keys, 'note'] : keys)) continue;
    if (!Number.isInteger(y.year) || y.year <= previous) fail(`${w}.year: years must be whole and in increasing order`);
    previous = y.year;
    if (!['published', 'provisional'].includes(y.status)) fail(`${w}.status: must be published or provisional`);
    if (!isStr(y.source)) fail(`${w}.source: must say where the arrangement comes from`);
    const own = new Set();
    for (const [j, h] of (Array.isArray(y.holidays) ? y.holidays : []).entries()) {
      const hw = `${w}.holidays[${j}]`;
      if (!fields(hw, h, ['name', 'nameEn', 'from', 'to'])) continue;
      if (!isStr(h.name) || !isStr(h.nameEn)) fail(`${hw}: name and nameEn must be non-empty`);
      if (!isDate(h.from) || !isDate(h.to)) {
        fail(`${hw}: from and to must be YYYY-MM-DD dates`);
        continue;
      }
      if (dayOf(h.to) < dayOf(h.from)) fail(`${hw}: ends before it starts`);
      if (!h.from.startsWith(String(y.year))) fail(`${hw}: starts outside ${y.year}`);
      for (let d = dayOf(h.from); d <= dayOf(h.to); d++) {
        const date = new Date(d * 86_400_000).toISOString().slice(0, 10);
        if (own.has(date)) fail(`${hw}: ${date} is already in another holiday`);
        own.add(date);
        daysOff.add(date);
      }
    }
    if (y.status === 'published' && own.size < 11) {
      fail(`${w}: a published year has at least the 11 statutory days off`);
    }
    for (const [j, d] of (Array.isArray(y.workingWeekendDays) ? y.workingWeekendDays : []).entries()) {
      const dw = `${w}.workingWeekendDays[${j}]`;
      if (!fields(dw, d, ['date', 'for'])) continue;
      if (!isDate(d.date)) {
        fail(`${dw}.date: must be a YYYY-MM-DD date`);
        continue;
      }
      if (![0, 6].includes(weekday(d.date))) fail(`${dw}: ${d.date} is not a Saturday or Sunday`);
      if (own.has(d.date)) fail(`${dw}: ${d.date} is also a day off`);
      if (!isStr(d.for)) fail(`${dw}.for: must name the holiday it makes up for`);
    }
  }
}

// --------------------------------------------------------------- boundaries
function inRing(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[j];
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}
const polygonsByDistrict = new Map();
const features = Array.isArray(boundaries.features) ? boundaries.features : [];
for (const [i, f] of features.entries()) {
  const w = `guiyang-districts.geo.json features[${i}]`;
  const code = f?.properties?.code;
  if (!districtCodes.has(code)) {
    fail(`${w}: properties.code ${JSON.stringify(code)} is not a district`);
    continue;
  }
  if (f.geometry?.type !== 'MultiPolygon') {
    fail(`${w}: geometry must be a MultiPolygon`);
    continue;
  }
  for (const polygon of f.geometry.coordinates)
    for (const ring of polygon) {
      const [first, last] = [ring[0], ring[ring.length - 1]];
      if (ring.length < 4 || first[0] !== last[0] || first[1] !== last[1]) fail(`${w} (${code}): a ring is not closed`);
      if (ring.some(([x, y]) => !(x > 105.5 && x < 107.6 && y > 26 && y < 27.6))) {
        fail(`${w} (${code}): a vertex lies far outside Guiyang`);
      }
    }
  polygonsByDistrict.set(code, f.geometry.coordinates);
}
for (const code of districtCodes) {
  if (!polygonsByDistrict.has(code)) fail(`guiyang-districts.geo.json: no boundary for ${code}`);
}
const insideDistrict = (code, { lat, long }) =>
  (polygonsByDistrict.get(code) ?? []).some(
    (polygon) => inRing(polygon[0], long, lat) && !polygon.slice(1).some((hole) => inRing(hole, long, lat)),
  );

// ---------------------------------------------------------- service points
const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SPAN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$/;
const points = Array.isArray(pointFile.points) ? pointFile.points : [];
if (fields('points.json', pointFile, ['about', 'coordinateSystem', 'townshipCodes', 'hoursNote', 'points'])) {
  if (pointFile.coordinateSystem !== 'GCJ-02') {
    fail('points.json.coordinateSystem: must be GCJ-02, like the boundaries');
  }
}
const pointCodes = new Set();
for (const [i, p] of points.entries()) {
  const w = `points.json ${p?.code ?? `points[${i}]`}`;
  const keys = [
    'code',
    'name',
    'kind',
    'districtCode',
    'townshipCode',
    'address',
    'location',
    'hours',
    'closedOnHolidays',
    'phone',
    'departments',
    'services',
  ];
  if (!fields(w, p, keys)) continue;
  if (!/^GY-[A-Z0-9-]+$/.test(p.code) || pointCodes.has(p.code)) fail(`${w}.code: must be unique, GY-…`);
  pointCodes.add(p.code);
  for (const k of ['name', 'address']) if (!isStr(p[k])) fail(`${w}.${k}: must be a non-empty string`);
  if (!POINT_KINDS.has(p.kind)) fail(`${w}.kind: must be one of ${[...POINT_KINDS].join(', ')}`);
  if (!districtCodes.has(p.districtCode)) fail(`${w}.districtCode: ${p.districtCode} is not a district`);
  if (p.kind === 'STREET_CENTRE') {
    const t = p.townshipCode;
    if (!(typeof t === 'string' && /^\d{9}$/.test(t) && t.startsWith(p.districtCode))) {
      fail(`${w}.townshipCode: a street centre needs the 9-digit code of a township in its district`);
    }
  } else if (p.townshipCode !== null) fail(`${w}.townshipCode: only street centres have one`);
  if (
    !fields(`${w}.location`, p.location, ['lat', 'long']) ||
    !Number.isFinite(p.location.lat) ||
    !Number.isFinite(p.location.long)
  ) {
    fail(`${w}.location: lat and long must be numbers`);
  } else if (districtCodes.has(p.districtCode) && !insideDistrict(p.districtCode, p.location)) {
    fail(`${w}.location: (${p.location.lat}, ${p.location.long}) is not inside district ${p.districtCode}`);
  }
  if (fields(`${w}.hours`, p.hours, WEEK)) {
    let open = 0;
    for (const d of WEEK) {
      const spans = p.hours[d];
      if (!Array.isArray(spans)) {
        fail(`${w}.hours.${d}: must be a list of HH:MM-HH:MM spans`);
        continue;
      }
      let end = -1;
      for (const s of spans) {
        const m = SPAN.exec(s);
        if (!m) {
          fail(`${w}.hours.${d}: ${JSON.stringify(s)} is not HH:MM-HH:MM`);
          continue;
        }
        const [from, to] = [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])];
        if (to <= from || to > 1440) fail(`${w}.hours.${d}: ${s} ends before it starts`);
        if (from < end) fail(`${w}.hours.${d}: spans overlap or are out of order`);
        end = to;
        open += 1;
      }
    }
    if (open === 0) fail(`${w}.hours: never open`);
  }
  if (typeof p.closedOnHolidays !== 'boolean') fail(`${w}.closedOnHolidays: must be true or false`);
  if (!(typeof p.phone === 'string' && PHONE.test(p.phone))) fail(`${w}.phone: must be a hotline or 0851-XXXXXXXX`);
  if (!Array.isArray(p.departments) || p.departments.some((d) => !departmentCodes.has(d))) {
    fail(`${w}.departments: every entry must be a department code`);
  } else if ((p.kind === 'DEPARTMENT_HALL') !== p.departments.length > 0) {
    fail(`${w}.departments: a department hall names its departments, other points none`);
  }
  if (!Array.isArray(p.services) || p.services.length === 0) {
    fail(`${w}.services: must list what it handles`);
    continue;
  }
  if (new Set(p.services).size !== p.services.length) fail(`${w}.services: has duplicates`);
  for (const code of p.services) {
    const svc = serviceByCode.get(code);
    if (!svc) {
      fail(`${w}.services: ${code} is not a service`);
      continue;
    }
    const kinds = guides[code]?.where?.pointKinds ?? [];
    if (!kinds.includes(p.kind)) fail(`${w}.services: the guide of ${code} does not name ${p.kind} among its points`);
    const only = svc.eligibility?.districts ?? [];
    if (p.kind !== 'DEPARTMENT_HALL' && only.length > 0 && !only.includes(p.districtCode)) {
      fail(`${w}.services: ${code} is not open to district ${p.districtCode}`);
    }
    if (p.kind === 'DEPARTMENT_HALL' && Array.isArray(p.departments) && !p.departments.includes(svc.department)) {
      fail(`${w}.services: ${code} belongs to ${svc.department}, not to this hall's departments`);
    }
  }
}
let atPoints = 0;
let atVenues = 0;
for (const s of services) {
  const g = guides[s.code];
  if (!g?.where || !Array.isArray(g.where.pointKinds)) continue;
  for (const kind of g.where.pointKinds) {
    if (!points.some((p) => p.kind === kind && p.services?.includes(s.code))) {
      fail(`points.json: no ${kind} handles ${s.code} ${s.title}, though its guide says one does`);
    }
  }
  if (g.where.pointKinds.length > 0) atPoints += 1;
  else if (s.channels.includes('SERVICE_WINDOW')) atVenues += 1;
}

if (errors.length > 0) {
  console.error(`guides, service points, holidays or boundaries: ${errors.length} problem(s)`);
  for (const e of errors) console.error(`  - ${e}`);
  process.exit(1);
}
console.log(
  `guides OK: ${Object.keys(guides).length} guides, ${points.length} service points ` +
    `(${atPoints} services handled at a point, ${atVenues} at their own venue), ` +
    `${holidayFile.years.length} holiday years (${daysOff.size} days off), ${features.length} district boundaries`,
);
