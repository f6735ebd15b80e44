#!/usr/bin/env node
// Halves a newly written fresh world of labelled requests into its development half and its
// held-out half:
//   node test/eval/split-fresh.mjs fresh4 new-requests.json "about of the dev half" "about of the held-out half"
// new-requests.json is an array of items as in requests.fresh4.dev.json. Within each style (each
// trap for the unmet ones) the items are taken in the order of the SHA-256 of their text and
// alternate between the two halves, the first to the development half. The world's files
// (HALVED_WORLDS in request-sets.mjs) must not exist yet: a world is halved once, when it is
// written, before any figure on it is seen.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { HALVED_WORLDS, halfSplit } from './request-sets.mjs';

const [world, source, devAbout, heldoutAbout] = process.argv.slice(2);
const spec = HALVED_WORLDS[world];
if (!spec || !source || !devAbout || !heldoutAbout) {
  console.error(
    `usage: node test/eval/split-fresh.mjs <${Object.keys(HALVED_WORLDS).join('|')}> new.json "dev about" "held-out about"`,
  );
  process.exit(2);
}
const file = (name) => new URL(name, import.meta.url);
for (const name of Object.values(spec.files)) {
  if (existsSync(file(name))) {
    console.error(`${name} exists: a world is halved once`);
    process.exit(1);
  }
}
const items = JSON.parse(readFileSync(source, 'utf8'));
const sha = (text) => createHash('sha256').update(text).digest('hex');
const groupOf = (item) => (item.unmet ? `trap:${item.trap}` : `style:${item.style}`);
const halves = { dev: [], heldout: [] };
for (const group of [...new Set(items.map(groupOf))]) {
  const inGroup = items
    .filter((item) => groupOf(item) === group)
    .sort((a, b) => sha(a.text).localeCompare(sha(b.text)));
  inGroup.forEach((item, i) => halves[i % 2 === 0 ? 'dev' : 'heldout'].push(item));
}
const write = (half, about) => {
  const lines = halves[half].map((item) => `    ${JSON.stringify(item)}`);
  const head = JSON.stringify({ split: halfSplit(world, half), about }, null, 2).replace(/\n}$/, '');
  writeFileSync(file(spec.files[half]), `${head},\n  "items": [\n${lines.join(',\n')}\n  ]\n}\n`);
};
write('dev', devAbout);
write('heldout', heldoutAbout);
console.log(`${world}: ${halves.dev.length} in ${spec.files.dev}, ${halves.heldout.length} in ${spec.files.heldout}`);
