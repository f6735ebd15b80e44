#!/usr/bin/env node
// Validates the labelled request sets in this folder against the seed catalogue:
//   requests.tune.json, requests.heldout.json  { split, about, items: [{ text, kind, expected | unmet, … }] }
//     the evaluation's two splits (request-sets.mjs; the held-out one is read by no tuning)
//   requests.json        [{ text, group, expected: [code, ...] }]  legacy set: requests the catalogue meets
//   unmet-requests.json  [{ text, topic }]                          legacy set: requests no service meets
// Usage: node test/eval/check-requests.mjs   (exits 1 with a list of problems on failure)
import { readFileSync } from 'node:fs';
import * as OpenCC from 'opencc-js';
import {
  HALVED_WORLDS,
  HEADERS,
  KINDS,
  MIN_PER_KIND,
  MIN_TOTAL as MIN_SPLIT_TOTAL,
  SPLIT_FILES,
  TRAPS,
  halfSplit,
  normaliseText,
} from './request-sets.mjs';

// Legacy groups. `tag` requests contain a tag of the expected service word for word (they
// measure tag coverage); `synonym` requests name the service by a word that is not a tag.
const GROUPS = ['clean', 'traditional', 'typo', 'tag', 'synonym', 'colloquial'];
const MIN_TOTAL = 320;
const MIN_PER_GROUP = 20;
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
// A pet named in a request (whole English words: never inside certificate or education).
const PET_WORD = /宠物|寵物|[狗犬猫貓]|鹦鹉|鸚鵡|\b(pets?|dogs?|cats?|puppy|kitten)\b/i;

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
const categories =
  load(file('..', '..', 'seeds', 'catalogue', 'categories.json'), 'seeds/catalogue/categories.json') ?? [];
const requests = load(file('requests.json'), 'requests.json');
const unmet = load(file('unmet-requests.json'), 'unmet-requests.json');

const serviceByCode = new Map(services.map((s) => [s.code, s]));

/** A met item's expected codes: at least one, none twice, each a service of services.json. False: none listed. */
function checkExpected(label, r) {
  if (!Array.isArray(r.expected) || r.expected.length < 1) {
    fail(`${label}: expected must list service codes`);
    return false;
  }
  if (new Set(r.expected).size !== r.expected.length) fail(`${label}: expected lists a code twice`);
  for (const code of r.expected) {
    if (!serviceByCode.has(code)) fail(`${label}: expected code "${code}" is not in services.json`);
  }
  return true;
}

/** The script of a met item's kind: english without Chinese, mixed with both, traditional in it, the rest simplified. */
function checkScript(label, r) {
  const han = HAN.test(r.text);
  const traditional = han && toSimplified(r.text) !== r.text;
  if (r.kind === 'english' && han) fail(`${label}: an english request must have no Chinese`);
  if (r.kind === 'mixed' && !(han && LATIN.test(r.text)))
    fail(`${label}: a mixed request must have Chinese and English`);
  if (r.kind === 'traditional' && !traditional) fail(`${label}: a traditional request must be in traditional script`);
  if (['clean', 'situational', 'typo'].includes(r.kind) && (!han || traditional)) {
    fail(`${label}: a ${r.kind} request must be in simplified Chinese`);
  }
}
const childCategories = categories.filter((c) => c.parent !== null).map((c) => c.code);
const isStr = (v) => typeof v === 'string' && v.trim().length > 0;
const sameKeys = (obj, keys) =>
  obj !== null &&
  typeof obj === 'object' &&
  !Array.isArray(obj) &&
  Object.keys(obj).length === keys.length &&
  keys.every((k) => k in obj);
const norm = normaliseText;
const containsTagOf = (text, code) =>
  (serviceByCode.get(code)?.tags ?? []).some((tag) => text.toLowerCase().includes(tag.toLowerCase()));

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
        if (r.group === 'traditional' && !HAN.test(r.text))
          fail(`${label}: a traditional request must be written in Chinese`);
        if (['clean', 'typo', 'synonym', 'tag'].includes(r.group) && !HAN.test(r.text)) {
          fail(`${label}: a ${r.group} request must be written in Chinese`);
        }
        if (['synonym', 'tag'].includes(r.group) && Array.isArray(r.expected)) {
          const hasTag = r.expected.some((code) => containsTagOf(r.text, code));
          if (r.group === 'tag' && !hasTag) fail(`${label}: a tag request contains a tag of an expected service`);
          if (r.group === 'synonym' && hasTag)
            fail(`${label}: contains a tag of an expected service word for word: group "tag"`);
        }
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
      if (perGroup[g] < MIN_PER_GROUP)
        fail(`requests.json: group "${g}" has ${perGroup[g]} requests, need at least ${MIN_PER_GROUP}`);
    }
    if (codes.size < MIN_DISTINCT_CODES)
      fail(`requests.json: ${codes.size} distinct expected codes, need at least ${MIN_DISTINCT_CODES}`);
    for (const [c, n] of Object.entries(perCategory)) {
      if (n < MIN_PER_CHILD_CATEGORY)
        fail(
          `requests.json: category "${c}" is the best answer of ${n} requests, need at least ${MIN_PER_CHILD_CATEGORY}`,
        );
    }
    if (errors.length === 0) {
      console.log(
        `requests.json: ${requests.length} requests (${GROUPS.map((g) => `${g} ${perGroup[g]}`).join(', ')}), ` +
          `${codes.size} distinct codes of ${services.length}, every child category >= ${Math.min(...Object.values(perCategory))}`,
      );
    }
  }
}

// ------------------------------------------------------ unmet-requests.json
const unmetTexts = new Set();
if (unmet !== null) {
  if (!Array.isArray(unmet)) {
    fail('unmet-requests.json: must be a JSON array');
  } else {
    const before = errors.length;
    if (unmet.length !== UNMET_COUNT)
      fail(`unmet-requests.json: ${unmet.length} requests, expected exactly ${UNMET_COUNT}`);
    const perTopic = new Map();
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
      if (!isStr(r.topic) || !TOPIC_SLUG.test(r.topic))
        fail(`${at}: topic must be a lower-case slug like "pet-vaccination"`);
      else perTopic.set(r.topic, (perTopic.get(r.topic) ?? 0) + 1);
    });
    const big = [...perTopic.entries()].filter(([, n]) => n >= BIG_TOPIC_SIZE);
    if (big.length < MIN_BIG_TOPICS) {
      fail(
        `unmet-requests.json: ${big.length} topics have ${BIG_TOPIC_SIZE}+ requests, need at least ${MIN_BIG_TOPICS}`,
      );
    }
    if (errors.length === before) {
      console.log(
        `unmet-requests.json: ${unmet.length} requests in ${perTopic.size} topics (${[...perTopic].map(([t, n]) => `${t} ${n}`).join(', ')})`,
      );
    }
  }
}

// ------------------------------------------- requests.tune.json, requests.heldout.json
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const LATIN = /[a-z]/i;
const SLUG = TOPIC_SLUG;
const splitTexts = new Map(); // normalised text -> where
const counts = Object.fromEntries(KINDS.map((k) => [k, { tune: 0, heldout: 0 }]));
for (const [split, name] of Object.entries(SPLIT_FILES)) {
  const data = load(file(name), name);
  if (data === null) continue;
  const header = HEADERS[name];
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !Array.isArray(data.items)) {
    fail(`${name}: must be an object with split, about and items`);
    continue;
  }
  if (data.split !== header.split || data.about !== header.about || Object.keys(data).length !== 3) {
    fail(`${name}: header must be exactly split "${header.split}" and the about text of request-sets.mjs`);
  }
  data.items.forEach((r, i) => {
    const at = `${name} items[${i}]`;
    if (r === null || typeof r !== 'object' || !isStr(r.text)) {
      fail(`${at}: an object with a non-empty text`);
      return;
    }
    const label = `${at} ("${r.text.slice(0, 40)}")`;
    const key = norm(r.text);
    if (splitTexts.has(key)) fail(`${label}: duplicate text (also ${splitTexts.get(key)})`);
    else splitTexts.set(key, at);
    if (seenTexts.has(key)) fail(`${label}: copied from requests.json (${seenTexts.get(key)}): write it fresh`);
    if (!KINDS.includes(r.kind)) {
      fail(`${label}: kind "${r.kind}" is not one of ${KINDS.join(', ')}`);
      return;
    }
    counts[r.kind][split] += 1;
    if (r.note !== undefined && !isStr(r.note)) fail(`${label}: note must be a non-empty string`);
    if (r.kind === 'unmet') {
      if (!sameKeys(r, ['text', 'kind', 'unmet', 'topic', 'trap', ...('note' in r ? ['note'] : [])])) {
        fail(`${label}: an unmet item has exactly text, kind, unmet, topic, trap (and note)`);
      }
      if (r.unmet !== true) fail(`${label}: unmet must be true`);
      if (!isStr(r.topic) || !SLUG.test(r.topic)) fail(`${label}: topic must be a lower-case slug`);
      if (!TRAPS.includes(r.trap)) fail(`${label}: trap "${r.trap}" is not one of ${TRAPS.join(', ')}`);
      if (r.trap === 'pet' && !PET_WORD.test(r.text)) fail(`${label}: a pet trap must name the pet`);
      return;
    }
    if (!sameKeys(r, ['text', 'kind', 'expected', ...('note' in r ? ['note'] : [])])) {
      fail(`${label}: a met item has exactly text, kind, expected (and note)`);
    }
    checkExpected(label, r);
    if (PET_WORD.test(r.text)) fail(`${label}: no service is for pets: a pet request is unmet`);
    checkScript(label, r);
    if (r.kind === 'situational' && r.expected?.some((code) => serviceByCode.get(code)?.title === r.text)) {
      fail(`${label}: a situational request must not quote the service's title`);
    }
  });
}
/**
 * A fresh set's item: its label, once its text and kind are checked and its text is registered
 * among the sets' texts (a duplicate fails); null when it has no text or no known kind.
 */
function freshItemLabel(name, i, r) {
  const label = `${name} items[${i}] ("${String(r?.text).slice(0, 40)}")`;
  if (!isStr(r?.text) || !KINDS.includes(r.kind)) {
    fail(`${label}: a text and a kind of ${KINDS.join(', ')}`);
    return null;
  }
  const key = norm(r.text);
  if (splitTexts.has(key)) fail(`${label}: duplicate text (also ${splitTexts.get(key)})`);
  else splitTexts.set(key, `${name} items[${i}]`);
  return label;
}

// ------------------------------------------- requests.fresh.json, requests.fresh2.json
// Held-out sets written in other styles, only reported: the same rules per item, no size rules.
for (const name of ['requests.fresh.json', 'requests.fresh2.json']) {
  const data = load(file(name), name);
  if (data === null) continue;
  if (typeof data !== 'object' || !Array.isArray(data.items) || !isStr(data.about)) {
    fail(`${name}: must be an object with split, about and items`);
    continue;
  }
  data.items.forEach((r, i) => {
    const label = freshItemLabel(name, i, r);
    if (!label) return;
    if (r.kind === 'unmet') {
      if (r.unmet !== true || !TRAPS.includes(r.trap) || !SLUG.test(r.topic ?? '')) {
        fail(`${label}: an unmet item has unmet: true, a topic slug and a trap of ${TRAPS.join(', ')}`);
      }
      if (r.trap === 'pet' && !PET_WORD.test(r.text)) fail(`${label}: a pet trap must name the pet`);
      return;
    }
    if (!checkExpected(label, r)) return;
    if (PET_WORD.test(r.text)) fail(`${label}: no service is for pets: a pet request is unmet`);
  });
}

// ------- requests.fresh3.dev.json, requests.fresh3.json, requests.fresh4(.dev).json, requests.fresh5(.dev).json
// The third and fourth fresh worlds, each halved by the SHA-256 of the text: the same rules per
// item as the splits' (fields, script of each kind), a style of the world's styles on every
// item (of the kinds that style allows, where the world says), and traps of the world's traps.
const MIN_LONG = 100; // characters of a fourth-world `long` request
const MAX_SHORT = 5; // characters of a fourth-world `short` request
const MAX_SHORT_FRESH5 = 4; // characters of a fifth-world `short` request
for (const [world, { files, styles, traps, styleKinds }] of Object.entries(HALVED_WORLDS)) {
  for (const [half, name] of Object.entries(files)) {
    const data = load(file(name), name);
    if (data === null) continue;
    const split = halfSplit(world, half);
    if (typeof data !== 'object' || data.split !== split || !isStr(data.about) || !Array.isArray(data.items)) {
      fail(`${name}: must be an object with split "${split}", about and items`);
      continue;
    }
    data.items.forEach((r, i) => {
      const label = freshItemLabel(name, i, r);
      if (!label) return;
      const key = norm(r.text);
      if (seenTexts.has(key)) fail(`${label}: copied from requests.json (${seenTexts.get(key)}): write it fresh`);
      if (!styles.includes(r.style)) fail(`${label}: style "${r.style}" is not one of ${styles.join(', ')}`);
      if (r.kind === 'unmet') {
        if (!sameKeys(r, ['text', 'kind', 'unmet', 'topic', 'trap', 'style'])) {
          fail(`${label}: an unmet item has exactly text, kind, unmet, topic, trap, style`);
        }
        if (r.unmet !== true || !traps.includes(r.trap) || !SLUG.test(r.topic ?? '')) {
          fail(`${label}: an unmet item has unmet: true, a topic slug and a trap of ${traps.join(', ')}`);
        }
        if (r.style !== 'trap') fail(`${label}: an unmet item has style "trap"`);
        if (r.trap === 'pet' && !PET_WORD.test(r.text)) fail(`${label}: a pet trap must name the pet`);
        return;
      }
      if (!sameKeys(r, ['text', 'kind', 'expected', 'style']))
        fail(`${label}: a met item has exactly text, kind, expected, style`);
      if (r.style === 'trap') fail(`${label}: style "trap" is for unmet items`);
      if (!checkExpected(label, r)) return;
      if (PET_WORD.test(r.text)) fail(`${label}: no service is for pets: a pet request is unmet`);
      checkScript(label, r);
      if (styleKinds && styleKinds[r.style] && !styleKinds[r.style].includes(r.kind)) {
        fail(`${label}: a ${r.style} request is of kind ${styleKinds[r.style].join(' or ')}`);
      }
      if (r.style === 'script-mix' && toTraditional(r.text) === r.text) {
        fail(`${label}: a script-mix request mixes simplified and traditional characters`);
      }
      if (r.style === 'pinyin-abbr' && !LATIN.test(r.text)) fail(`${label}: a pinyin-abbr request has Latin letters`);
      if (world === 'fresh5' && r.style === 'long' && [...r.text].length < MIN_LONG) {
        fail(`${label}: a long request has at least ${MIN_LONG} characters`);
      }
      if (world === 'fresh5' && r.style === 'short' && [...r.text].length > MAX_SHORT_FRESH5) {
        fail(`${label}: a short request has at most ${MAX_SHORT_FRESH5} characters`);
      }
      if (world === 'fresh4' && r.style === 'long' && [...r.text].length < MIN_LONG) {
        fail(`${label}: a long request has at least ${MIN_LONG} characters`);
      }
      if (world === 'fresh4' && r.style === 'short' && [...r.text].length > MAX_SHORT) {
        fail(`${label}: a short request has at most ${MAX_SHORT} characters`);
      }
    });
  }
}

const splitTotal = KINDS.reduce((n, k) => n + counts[k].tune + counts[k].heldout, 0);
if (splitTotal < MIN_SPLIT_TOTAL) fail(`splits: ${splitTotal} requests, need at least ${MIN_SPLIT_TOTAL}`);
for (const kind of KINDS) {
  const { tune, heldout } = counts[kind];
  const total = tune + heldout;
  if (total < MIN_PER_KIND[kind]) {
    fail(`splits: kind "${kind}" has ${total} requests, need at least ${MIN_PER_KIND[kind]}`);
  }
  if (Math.abs(heldout - total / 3) > 1) fail(`splits: kind "${kind}" holds out ${heldout} of ${total}, not a third`);
}
for (const key of splitTexts.keys()) {
  if (unmetTexts.has(key)) fail(`splits: "${key}" is copied from unmet-requests.json: write it fresh`);
}
console.log(
  `splits: ${splitTotal} requests; tune / held-out per kind: ` +
    KINDS.map((k) => `${k} ${counts[k].tune}/${counts[k].heldout}`).join(', '),
);

if (errors.length > 0) {
  console.error(`check-requests: ${errors.length} problem(s):\n- ${errors.join('\n- ')}`);
  process.exit(1);
}
console.log('check-requests: OK');
