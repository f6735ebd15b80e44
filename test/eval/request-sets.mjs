// What the two splits of the request evaluation share: their files, kinds and headers.
export const SPLIT_FILES = { tune: 'requests.tune.json', heldout: 'requests.heldout.json' };

/** Kinds of labelled request; every kind but `unmet` lists the services that meet it. */
export const KINDS = ['clean', 'situational', 'traditional', 'typo', 'english', 'mixed', 'unmet'];

/** Least items per kind over both splits. */
export const MIN_PER_KIND = {
  clean: 50,
  situational: 120,
  traditional: 60,
  typo: 50,
  english: 50,
  mixed: 30,
  unmet: 80,
};
export const MIN_TOTAL = 400;

/** Subjects of unmet requests that look like a service for residents (traps), or a near topic. */
export const TRAPS = ['pet', 'livestock', 'business', 'vehicle', 'near-topic'];

export const HEADERS = {
  'requests.tune.json': {
    split: 'tune',
    about:
      'Labelled free-text requests for developing and tuning request matching: thresholds, synonyms, ' +
      'phrases and weights may be chosen on this file. Its held-out twin is requests.heldout.json. ' +
      'Items: text, kind, expected (service codes that meet the request, best first) or unmet: true ' +
      'with topic and trap; note where useful. See docs/matching.md.',
  },
  'requests.heldout.json': {
    split: 'heldout',
    about:
      'HELD OUT: no tuning, calibration, synonym or phrase list and no development may read this file. ' +
      'Only npm run eval:requests reads it, to report figures after every choice was made on ' +
      'requests.tune.json. New items are added with test/eval/split-requests.mjs, never by hand.',
  },
};

export const emptySplit = (name) => ({ ...HEADERS[name], items: [] });

/** Text as compared for duplicates: NFKC, spaces collapsed, lower case. */
export const normaliseText = (text) => text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
