#!/usr/bin/env node
// Validates the labelled request sets in this folder against the seed catalogue:
//   requests.json        [{ text, group, expected: [code, ...] }]  requests the catalogue meets
//   unmet-requests.json  [{ text, topic }]                          requests no service meets
// Usage: node test/eval/check-requests.mjs   (exits 1 with a list of problems on failure)
import { readFileSync } from 'node:fs';

const GROUPS = ['clean', 'traditional', 'typo', 'synonym', 'colloquial'];
const MIN_TOTAL = 320;
const MIN_PER_GROUP = 60;
const MIN_DISTINCT_CODES = 150;
const MIN_PER_CHILD_CATEGORY = 5;
const MAX_EXPECTED = 3;
const UNMET_COUNT = 40;
const MIN_BIG_TOPICS = 3; // topics with at least BIG_TOPIC_SIZE requests
const BIG_TOPIC_SIZE = 5;
const TOPIC_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
// Pet needs are not in the catalogue: they belong in unmet-requests.json only.
const PET = /宠物|寵物|[狗犬猫貓]|\b(pets?|dogs?|cats?|puppy|kitten)\b/i;
const HAN = /[\u4e00-\u9fff]/;

const errors = [];
const fail = (msg) => errors.push(msg);
const file = (...parts) => new URL(parts.join('/'), import.meta.url);

function load(url, label) {
  try {
    return JSON.parse(readFileSync(url, 'utf8'));
  } catch (e) {
    fail(`${label}: cannot read or parse (${e.message})`);
    return null;
  }
}

const services = load(file('..', '..', 'seeds', 'catalogue', 'services.json'), 'seeds/catalogue/services.json') ?? [];
const categories = load(file('..', '..', 'seeds', 'catalogue', 'categories.json'), 'seeds/catalogue/categories.json') ?? [];
const requests = load(file('requests.json'), 'requests.json');
const unmet = load(file('unmet-requests.json'), 'unmet-requests.json');

const serviceByCode = new Map(services.map((s) => [s.code, s]));
const childCategories = categories.filter((c) => c.parent !== null).map((c) => c.code);
const isStr = (v) => typeof v === 'string' && v.trim().length > 0;
const sameKeys = (obj, keys) =>
  obj !== null && typeof obj === 'object' && !Array.isArray(obj) &&
  Object.keys(obj).length === keys.length && keys.every((k) => k in obj);
const norm = (t) => t.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

// ------------------------------------------------------------ requests.json
const seenTexts = new Map(); // normalised text -> where
if (requests !== null) {
  if (!Array.isArray(requests)) {
    fail('requests.json: must be a JSON array');
  } else {
    const perGroup = Object.fromEntries(GROUPS.map((g) => [g, 0]));
    const perCategory = Object.fromEntries(childCategories.map((c) => [c, 0]));
    const codes = new Set();
    requests.forEach((r, i) => {
      const at = `requests[${i}]`;
      if (!sameKeys(r, ['text', 'group', 'expected'])) {
        fail(`${at}: fields must be exactly text, group, expected`);
        return;
      }
      const label = `${at} ("${String(r.text).slice(0, 40)}")`;
      if (!isStr(r.text)) fail(`${at}: text must be a non-empty string`);
      else {
        const key = norm(r.text);
        if (seenTexts.has(key)) fail(`${label}: duplicate text (also ${seenTexts.get(key)})`);
        else seenTexts.set(key, at);
        if (PET.test(r.text)) fail(`${label}: pet-related requests belong in unmet-requests.json`);
        if (r.group === 'traditional' && !HAN.test(r.text)) fail(`${label}: a traditional request must be written in Chinese`);
        if (['clean', 'typo', 'synonym'].includes(r.group) && !HAN.test(r.text)) fail(`${label}: a ${r.group} request must be written in Chinese`);
      }
      if (!GROUPS.includes(r.group)) fail(`${label}: group "${r.group}" is not one of ${GROUPS.join(', ')}`);
      else perGroup[r.group] += 1;
      if (!Array.isArray(r.expected) || r.expected.length < 1 || r.expected.length > MAX_EXPECTED) {
        fail(`${label}: expected must list 1-${MAX_EXPECTED} service codes`);
        return;
      }
      if (new Set(r.expected).size !== r.expected.length) fail(`${label}: expected lists a code twice`);
      r.expected.forEach((code) => {
        if (!serviceByCode.has(code)) fail(`${label}: expected code "${code}" is not in services.json`);
        else codes.add(code);
      });
      const best = serviceByCode.get(r.expected[0]);
      if (best && best.category in perCategory) perCategory[best.category] += 1;
    });

    if (requests.length < MIN_TOTAL) fail(`requests.json: ${requests.length} requests, need at least ${MIN_TOTAL}`);
    for (const g of GROUPS) {
      if (perGroup[g] < MIN_PER_GROUP) fail(`requests.json: group "${g}" has ${perGroup[g]} requests, need at least ${MIN_PER_GROUP}`);
    }
    if (codes.size < MIN_DISTINCT_CODES) fail(`requests.json: ${codes.size} distinct expected codes, need at least ${MIN_DISTINCT_CODES}`);
    for (const [c, n] of Object.entries(perCategory)) {
      if (n < MIN_PER_CHILD_CATEGORY) fail(`requests.json: category "${c}" is the best answer of ${n} requests, need at least ${MIN_PER_CHILD_CATEGORY}`);
    }
    if (errors.length === 0) {
      console.log(`requests.json: ${requests.length} requests (${GROUPS.map((g) => `${g} ${perGroup[g]}`).join(', ')}), ` +
        `${codes.size} distinct codes of ${services.length}, every child category >= ${Math.min(...Object.values(perCategory))}`);
    }
  }
}

// ------------------------------------------------------ unmet-requests.json
if (unmet !== null) {
  if (!Array.isArray(unmet)) {
    fail('unmet-requests.json: must be a JSON array');
  } else {
    const before = errors.length;
    if (unmet.length !== UNMET_COUNT) fail(`unmet-requests.json: ${unmet.length} requests, expected exactly ${UNMET_COUNT}`);
    const perTopic = new Map();
    const unmetTexts = new Set();
    unmet.forEach((r, i) => {
      const at = `unmet-requests[${i}]`;
      if (!sameKeys(r, ['text', 'topic'])) {
        fail(`${at}: fields must be exactly text, topic`);
        return;
      }
      if (!isStr(r.text)) fail(`${at}: text must be a non-empty string`);
      else {
        const key = norm(r.text);
        if (unmetTexts.has(key)) fail(`${at} ("${r.text}"): duplicate text`);
        unmetTexts.add(key);
        if (seenTexts.has(key)) fail(`${at} ("${r.text}"): also in requests.json (${seenTexts.get(key)})`);
      }
      if (!isStr(r.topic) || !TOPIC_SLUG.test(r.topic)) fail(`${at}: topic must be a lower-case slug like "pet-vaccination"`);
      else perTopic.set(r.topic, (perTopic.get(r.topic) ?? 0) + 1);
    });
    const big = [...perTopic.entries()].filter(([, n]) => n >= BIG_TOPIC_SIZE);
    if (big.length < MIN_BIG_TOPICS) {
      fail(`unmet-requests.json: ${big.length} topics have ${BIG_TOPIC_SIZE}+ requests, need at least ${MIN_BIG_TOPICS}`);
    }
    if (errors.length === before) {
      console.log(`unmet-requests.json: ${unmet.length} requests in ${perTopic.size} topics (${[...perTopic].map(([t, n]) => `${t} ${n}`).join(', ')})`);
    }
  }
}

if (errors.length > 0) {
  console.error(`check-requests: ${errors.length} problem(s):\n- ${errors.join('\n- ')}`);
  process.exit(1);
}
console.log('check-requests: OK');
