#!/usr/bin/env node
// Adds newly written labelled requests to the two splits of the request evaluation:
//   node test/eval/split-requests.mjs new-requests.json
// new-requests.json is an array of items as in requests.tune.json. Within each kind the new
// items are taken in the order of the SHA-256 of their text, and each goes to the held-out
// split while that kind's held-out share is under a third (rounded), else to tuning. Items
// already in either file never move, so the held-out split only ever grows.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { KINDS, SPLIT_FILES, emptySplit, normaliseText } from './request-sets.mjs';

const source = process.argv[2];
if (!source) {
  console.error('usage: node test/eval/split-requests.mjs new-requests.json');
  process.exit(2);
}
const file = (name) => new URL(name, import.meta.url);
const readSplit = (name) => {
  try {
    return JSON.parse(readFileSync(file(name), 'utf8'));
  } catch (e) {
    if (e.code === 'ENOENT') return emptySplit(name);
    throw e;
  }
};
const tune = readSplit(SPLIT_FILES.tune);
const heldout = readSplit(SPLIT_FILES.heldout);
const known = new Set([...tune.items, ...heldout.items].map((item) => normaliseText(item.text)));
const additions = JSON.parse(readFileSync(source, 'utf8'));
const sha = (text) => createHash('sha256').update(text).digest('hex');

let added = 0;
for (const kind of KINDS) {
  const fresh = additions
    .filter((item) => item.kind === kind && !known.has(normaliseText(item.text)))
    .sort((a, b) => sha(a.text).localeCompare(sha(b.text)));
  let inHeldout = heldout.items.filter((item) => item.kind === kind).length;
  let total = inHeldout + tune.items.filter((item) => item.kind === kind).length;
  for (const item of fresh) {
    total += 1;
    if (inHeldout < Math.round(total / 3)) {
      heldout.items.push(item);
      inHeldout += 1;
    } else {
      tune.items.push(item);
    }
    known.add(normaliseText(item.text));
    added += 1;
  }
}
const unknownKinds = additions.filter((item) => !KINDS.includes(item.kind));
if (unknownKinds.length > 0) {
  const example = unknownKinds[0].kind;
  console.error(`unknown kind in ${unknownKinds.length} item(s), e.g. "${example}"; kinds: ${KINDS.join(', ')}`);
  process.exit(1);
}
const write = (name, split) => {
  const lines = split.items.map((item) => `  ${JSON.stringify(item)}`);
  const { items: _items, ...header } = split;
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  writeFileSync(file(name), `${head},\n  "items": [\n${lines.map((l) => `  ${l}`).join(',\n')}\n  ]\n}\n`);
};
write(SPLIT_FILES.tune, tune);
write(SPLIT_FILES.heldout, heldout);
console.log(`added ${added} item(s): tuning ${tune.items.length}, held-out ${heldout.items.length}`);
