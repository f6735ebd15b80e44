#!/usr/bin/env node
// Validates the Guiyang catalogue seed files in this folder:
//   categories.json, departments.json, districts.json, services.json
// Usage: node seeds/catalogue/check.mjs   (exits 1 with a list of problems on failure)
import { readFileSync } from 'node:fs';

const here = (name) => new URL(`./${name}`, import.meta.url);
const errors = [];
const fail = (msg) => errors.push(msg);

function load(name) {
  try {
    return JSON.parse(readFileSync(here(name), 'utf8'));
  } catch (e) {
    fail(`${name}: cannot read or parse (${e.message})`);
    return [];
  }
}

const categories = load('categories.json');
const departments = load('departments.json');
const districts = load('districts.json');
const services = load('services.json');

const CJK = /[\u4e00-\u9fff]/;
const isStr = (v) => typeof v === 'string' && v.trim().length > 0;
const sameKeys = (obj, keys) =>
  obj &&
  typeof obj === 'object' &&
  !Array.isArray(obj) &&
  Object.keys(obj).length === keys.length &&
  keys.every((k) => k in obj);

// ---------------------------------------------------------------- districts
const EXPECTED_DISTRICTS = [
  ['520102', '南明区', 'Nanming District'],
  ['520103', '云岩区', 'Yunyan District'],
  ['520111', '花溪区', 'Huaxi District'],
  ['520112', '乌当区', 'Wudang District'],
  ['520113', '白云区', 'Baiyun District'],
  ['520115', '观山湖区', 'Guanshanhu District'],
  ['520121', '开阳县', 'Kaiyang County'],
  ['520122', '息烽县', 'Xifeng County'],
  ['520123', '修文县', 'Xiuwen County'],
  ['520181', '清镇市', 'Qingzhen City'],
];
if (!Array.isArray(districts) || districts.length !== EXPECTED_DISTRICTS.length) {
  fail(`districts.json: expected exactly ${EXPECTED_DISTRICTS.length} districts`);
} else {
  EXPECTED_DISTRICTS.forEach(([code, name, nameEn], i) => {
    const d = districts[i];
    if (!sameKeys(d, ['code', 'name', 'nameEn'])) fail(`districts[${i}]: fields must be exactly code, name, nameEn`);
    else if (d.code !== code || d.name !== name || d.nameEn !== nameEn)
      fail(`districts[${i}]: expected ${code} ${name} ${nameEn}, got ${d.code} ${d.name} ${d.nameEn}`);
  });
}
const districtCodes = new Set(EXPECTED_DISTRICTS.map(([c]) => c));

// --------------------------------------------------------------- categories
const KINDS = new Set(['GOVERNMENT', 'LIFE', 'COMMUNITY']);
const EXPECTED_ROOTS = [
  { code: 'gov', name: '政务服务', nameEn: 'Government services', kind: 'GOVERNMENT', parent: null },
  { code: 'life', name: '生活服务', nameEn: 'Life services', kind: 'LIFE', parent: null },
  { code: 'community', name: '社区服务', nameEn: 'Community services', kind: 'COMMUNITY', parent: null },
];
const catByCode = new Map();
categories.forEach((c, i) => {
  if (!sameKeys(c, ['code', 'name', 'nameEn', 'kind', 'parent'])) {
    fail(`categories[${i}]: fields must be exactly code, name, nameEn, kind, parent`);
    return;
  }
  if (!/^[a-z]+(\.[a-z-]+)?$/.test(c.code)) fail(`category ${c.code}: bad code`);
  if (catByCode.has(c.code)) fail(`category ${c.code}: duplicate code`);
  if (!isStr(c.name) || !CJK.test(c.name)) fail(`category ${c.code}: name must be Chinese`);
  if (!isStr(c.nameEn) || !/^[A-Z]/.test(c.nameEn)) fail(`category ${c.code}: nameEn must be English`);
  if (!KINDS.has(c.kind)) fail(`category ${c.code}: bad kind ${c.kind}`);
  if (c.parent !== null) {
    const p = catByCode.get(c.parent); // parents must come first
    if (!p) fail(`category ${c.code}: parent ${c.parent} missing or listed after the child`);
    else {
      if (p.parent !== null) fail(`category ${c.code}: only two levels allowed`);
      if (p.kind !== c.kind) fail(`category ${c.code}: kind ${c.kind} differs from parent's ${p.kind}`);
      if (!c.code.startsWith(`${p.code}.`)) fail(`category ${c.code}: code should start with "${p.code}."`);
    }
  }
  catByCode.set(c.code, c);
});
const roots = categories.filter((c) => c && c.parent === null);
if (roots.length !== 3) fail(`categories: expected exactly 3 roots, found ${roots.length}`);
for (const r of EXPECTED_ROOTS) {
  const got = catByCode.get(r.code);
  if (!got || JSON.stringify(got) !== JSON.stringify(r))
    fail(`categories: root ${r.code} must be ${JSON.stringify(r)}`);
}
const childCats = categories.filter((c) => c && c.parent !== null);
if (categories.length < 14) fail(`categories: expected at least 14, found ${categories.length}`);
if (childCats.length < 15) fail(`categories: expected at least 15 children, found ${childCats.length}`);
for (const r of EXPECTED_ROOTS)
  if (!childCats.some((c) => c.parent === r.code)) fail(`categories: root ${r.code} has no children`);

// -------------------------------------------------------------- departments
const deptByCode = new Map();
departments.forEach((d, i) => {
  if (!sameKeys(d, ['code', 'name', 'nameEn', 'parent'])) {
    fail(`departments[${i}]: fields must be exactly code, name, nameEn, parent`);
    return;
  }
  if (!/^[A-Z][A-Z0-9-]{1,31}$/.test(d.code)) fail(`department ${d.code}: code must be short uppercase ASCII`);
  if (deptByCode.has(d.code)) fail(`department ${d.code}: duplicate code`);
  if (!isStr(d.name) || !CJK.test(d.name)) fail(`department ${d.code}: name must be Chinese`);
  if (!isStr(d.nameEn) || !/^[A-Z]/.test(d.nameEn) || CJK.test(d.nameEn))
    fail(`department ${d.code}: nameEn must be English`);
  if (d.parent !== null && !deptByCode.has(d.parent))
    fail(`department ${d.code}: parent ${d.parent} missing or listed after the child`);
  deptByCode.set(d.code, d);
});
if (departments.length < 32) fail(`departments: expected at least 32, found ${departments.length}`);
const deptNames = departments.map((d) => d && d.name);
if (new Set(deptNames).size !== deptNames.length) fail('departments: duplicate names');

// ----------------------------------------------------------------- services
const PREFIX = {
  'gov.social-security': 'SS',
  'gov.medical-insurance': 'MI',
  'gov.housing-fund': 'HF',
  'gov.household': 'HR',
  'gov.civil-affairs': 'CA',
  'gov.tax': 'TX',
  'gov.business': 'BZ',
  'gov.transport-licence': 'TL',
  'gov.property': 'PR',
  'gov.veterans': 'VA',
  'gov.agriculture': 'AG',
  'life.health': 'HE',
  'life.education': 'ED',
  'life.employment': 'EM',
  'life.utilities': 'UT',
  'life.transport': 'TR',
  'life.culture-sport': 'CS',
  'community.elderly': 'EL',
  'community.disability': 'DS',
  'community.family-child': 'FC',
  'community.neighbourhood': 'NB',
  'community.legal-aid': 'LA',
};
// Categories that must hold 12-25 services each.
const BIG = [
  'gov.social-security',
  'gov.medical-insurance',
  'gov.housing-fund',
  'gov.household',
  'gov.civil-affairs',
  'community.elderly',
  'community.disability',
  'life.health',
  'life.education',
  'life.employment',
  'life.utilities',
  'life.transport',
];
const CHANNELS = new Set(['ONLINE', 'APP', 'SERVICE_WINDOW', 'PHONE', 'HOME_VISIT']);
// The citizen tags services may require: the list the API validates profiles with.
const CITIZEN_TAGS = new Set(load('../../src/modules/citizens/citizen-tags.json'));
const SERVICE_KEYS = [
  'code',
  'title',
  'titleEn',
  'summary',
  'description',
  'category',
  'tags',
  'department',
  'coDepartments',
  'channels',
  'eligibility',
];
const ELIG_KEYS = ['minAge', 'maxAge', 'requiredTags', 'districts'];
// Pet services are deliberately absent (tests rely on that demand being unmet).
const PET = /宠物|犬|狗|猫|\bpets?\b|\bdogs?\b|\bcats?\b/i;

if (services.length < 220) fail(`services: expected at least 220, found ${services.length}`);
const codes = new Set();
const titles = new Set();
const titlesEn = new Set();
const perCategory = new Map();
const leads = new Map();
let districtLimited = 0;

for (const [i, s] of services.entries()) {
  const where = `services[${i}] ${s && s.code}`;
  if (!sameKeys(s, SERVICE_KEYS)) {
    fail(`${where}: fields must be exactly ${SERVICE_KEYS.join(', ')}`);
    continue;
  }
  // code
  if (!/^[A-Z]{2}-\d{4}$/.test(s.code)) fail(`${where}: code must look like SS-0001`);
  if (codes.has(s.code)) fail(`${where}: duplicate code`);
  codes.add(s.code);
  // texts
  if (!isStr(s.title) || !CJK.test(s.title)) fail(`${where}: title must be Chinese`);
  if (titles.has(s.title)) fail(`${where}: duplicate title ${s.title}`);
  titles.add(s.title);
  if (!isStr(s.titleEn) || !/^[A-Z0-9'"]/.test(s.titleEn) || CJK.test(s.titleEn) || !/[a-z]{3}/.test(s.titleEn))
    fail(`${where}: titleEn must be a natural English title`);
  if (titlesEn.has(s.titleEn)) fail(`${where}: duplicate titleEn ${s.titleEn}`);
  titlesEn.add(s.titleEn);
  if (!isStr(s.summary) || !CJK.test(s.summary)) fail(`${where}: summary must be Chinese`);
  if (!isStr(s.description) || !CJK.test(s.description)) fail(`${where}: description must be Chinese`);
  if (isStr(s.description) && s.description.length < 40) fail(`${where}: description too short`);
  if (PET.test([s.title, s.titleEn, s.summary, s.description, ...(Array.isArray(s.tags) ? s.tags : [])].join(' ')))
    fail(`${where}: pet services must not be in the catalogue`);
  // category
  const cat = catByCode.get(s.category);
  if (!cat) fail(`${where}: unknown category ${s.category}`);
  else if (cat.parent === null) fail(`${where}: category must be a child category, not ${s.category}`);
  else if (PREFIX[s.category] && !s.code.startsWith(`${PREFIX[s.category]}-`))
    fail(`${where}: code prefix should be ${PREFIX[s.category]} for ${s.category}`);
  else if (!PREFIX[s.category]) fail(`${where}: no code prefix defined for ${s.category}`);
  perCategory.set(s.category, (perCategory.get(s.category) ?? 0) + 1);
  // tags
  if (!Array.isArray(s.tags) || s.tags.length < 3 || s.tags.length > 6) fail(`${where}: 3-6 tags required`);
  else {
    if (!s.tags.every(isStr)) fail(`${where}: empty tag`);
    if (new Set(s.tags).size !== s.tags.length) fail(`${where}: duplicate tags`);
    if (!s.tags.some((t) => CJK.test(t))) fail(`${where}: tags must include Chinese keywords`);
  }
  // departments
  if (!deptByCode.has(s.department)) fail(`${where}: unknown department ${s.department}`);
  leads.set(s.department, (leads.get(s.department) ?? 0) + 1);
  if (!Array.isArray(s.coDepartments) || s.coDepartments.length > 3) fail(`${where}: 0-3 coDepartments`);
  else {
    for (const d of s.coDepartments) if (!deptByCode.has(d)) fail(`${where}: unknown co-department ${d}`);
    if (s.coDepartments.includes(s.department)) fail(`${where}: lead department repeated in coDepartments`);
    if (new Set(s.coDepartments).size !== s.coDepartments.length) fail(`${where}: duplicate coDepartments`);
  }
  // channels
  if (!Array.isArray(s.channels) || s.channels.length === 0) fail(`${where}: at least one channel`);
  else {
    for (const c of s.channels) if (!CHANNELS.has(c)) fail(`${where}: bad channel ${c}`);
    if (new Set(s.channels).size !== s.channels.length) fail(`${where}: duplicate channels`);
  }
  // eligibility
  const e = s.eligibility;
  if (!sameKeys(e, ELIG_KEYS)) {
    fail(`${where}: eligibility fields must be exactly ${ELIG_KEYS.join(', ')}`);
    continue;
  }
  for (const k of ['minAge', 'maxAge'])
    if (e[k] !== null && !(Number.isInteger(e[k]) && e[k] >= 0 && e[k] <= 120))
      fail(`${where}: ${k} must be null or 0-120`);
  if (Number.isInteger(e.minAge) && Number.isInteger(e.maxAge) && e.minAge > e.maxAge)
    fail(`${where}: minAge > maxAge`);
  if (!Array.isArray(e.requiredTags)) fail(`${where}: requiredTags must be a list`);
  else {
    for (const t of e.requiredTags) if (!CITIZEN_TAGS.has(t)) fail(`${where}: unknown citizen tag ${t}`);
    if (new Set(e.requiredTags).size !== e.requiredTags.length) fail(`${where}: duplicate requiredTags`);
  }
  if (!Array.isArray(e.districts)) fail(`${where}: districts must be a list`);
  else {
    for (const d of e.districts) if (!districtCodes.has(d)) fail(`${where}: unknown district ${d}`);
    if (new Set(e.districts).size !== e.districts.length) fail(`${where}: duplicate districts`);
    if (e.districts.length === districtCodes.size) fail(`${where}: listing all districts means no limit; use []`);
    if (e.districts.length > 0) districtLimited++;
  }
}

for (const c of childCats) {
  const n = perCategory.get(c.code) ?? 0;
  if (n < 5) fail(`category ${c.code}: ${n} services, at least 5 required`);
}
for (const code of BIG) {
  const n = perCategory.get(code) ?? 0;
  if (n < 12 || n > 25) fail(`category ${code}: ${n} services, 12-25 required for a major category`);
}
for (const d of departments) if (d && !leads.has(d.code)) fail(`department ${d.code} leads no service`);

const share = services.length ? districtLimited / services.length : 0;
if (share < 0.1 || share > 0.15)
  fail(`services: ${districtLimited} district-limited (${(share * 100).toFixed(1)}%), expected 10-15%`);

// Titles must not be variants of each other only by whitespace/punctuation.
const norm = (t) => String(t).replace(/[\s（）()“”"、，,·]/g, '');
const normSeen = new Map();
for (const s of services) {
  if (!s || !s.title) continue;
  const k = norm(s.title);
  if (normSeen.has(k)) fail(`services: titles "${normSeen.get(k)}" and "${s.title}" differ only in punctuation`);
  normSeen.set(k, s.title);
}

if (errors.length) {
  console.error(`catalogue check FAILED (${errors.length} problem${errors.length > 1 ? 's' : ''}):`);
  for (const e of errors) console.error(`  - ${e}`);
  process.exit(1);
}
console.log(
  `catalogue OK: ${categories.length} categories (${childCats.length} children), ${departments.length} departments, ` +
    `${districts.length} districts, ${services.length} services (${districtLimited} district-limited, ${(share * 100).toFixed(1)}%)`,
);
