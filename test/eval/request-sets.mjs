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

/**
 * Traps of the third fresh world besides TRAPS: another city's service (重庆的居住证签注), a
 * commercial service (phone repair, broadband, a gym) and a private dispute no public body
 * settles (a quarrel in a chat group, a gambling debt).
 */
export const FRESH3_TRAPS = [...TRAPS, 'other-city', 'commercial', 'private-dispute'];

/** How each met request of the third fresh world is written; its unmet ones are `trap`. */
export const FRESH3_STYLES = [
  'run-on', // voice-typed, without punctuation
  'on-behalf', // for a parent, a relative, a neighbour, a friend
  'question', // 能不能…, 在哪里办…
  'negation', // 不是要办X，是要…
  'multi-need', // several needs in one message
  'fragment', // two to five characters
  'script-mix', // simplified and traditional script in one text
  'pinyin-abbr', // pinyin initials or whole pinyin for a word (sbk, gjj, dibao)
  'english-place', // English with the city's place names (Nanming, Huaxi)
  'mixed', // Chinese with English words
  'trap',
];

/** The two halves of the third fresh world: development half and held-out half. */
export const FRESH3_FILES = { dev: 'requests.fresh3.dev.json', heldout: 'requests.fresh3.json' };

/** Traps of the fourth fresh world: the same as the third's. */
export const FRESH4_TRAPS = FRESH3_TRAPS;

/**
 * How each met request of the fourth fresh world is written, and the kinds each style may have;
 * its unmet ones are `trap`.
 */
export const FRESH4_STYLE_KINDS = {
  'life-event': ['situational'], // a life situation (job loss, a birth, a death, a move, a flood), no service named
  wechat: ['situational', 'clean'], // chat-app messages: 在吗, 亲, emoji, [捂脸]
  homophone: ['typo'], // voice input heard wrong: 巨住证, 公鸡金, 工商认定 for 工伤认定
  traditional: ['traditional'], // traditional script with Taiwan wording (安養院, 健保, 資遣, 低收入戶)
  mixed: ['mixed'], // Chinese with English words (layoff, freelancer, housing fund)
  english: ['english'],
  long: ['situational'], // a story of 100 characters or more
  short: ['situational', 'clean'], // two to five characters
  dialect: ['situational'], // Guiyang speech: 啷个, 咋个, 屋头, 莫得, 晓不得, 在哪点
};
export const FRESH4_STYLES = [...Object.keys(FRESH4_STYLE_KINDS), 'trap'];

/** The two halves of the fourth fresh world: development half and held-out half. */
export const FRESH4_FILES = { dev: 'requests.fresh4.dev.json', heldout: 'requests.fresh4.json' };

/** Traps of the fifth fresh world: the third's, and a national matter no city body handles. */
export const FRESH5_TRAPS = [...FRESH3_TRAPS, 'national'];

/**
 * How each met request of the fifth fresh world is written, and the kinds each style may have;
 * its unmet ones are `trap`.
 */
export const FRESH5_STYLE_KINDS = {
  planner: ['situational'], // demand as a community worker, an official or a planner phrases it (辖区内…，需对接…)
  'third-person': ['situational'], // for someone else: a tenant, a neighbour, a colleague
  negation: ['situational'], // 不是要X，是…; 不用…，我是想…
  'multi-need': ['situational'], // several needs in one message, the first named first
  short: ['situational', 'clean'], // two to four characters
  long: ['situational'], // a story of 100 characters or more
  typo: ['typo'], // pinyin-keyboard homophones (居主证, 生于津贴, 被才员)
  traditional: ['traditional'], // traditional script, Taiwan wording (資遣, 長照, 瓦斯)
  numbers: ['situational'], // ages, dates, amounts (59岁半, 3600块, 140平)
  eligibility: ['situational'], // 能不能, 够不够条件, 还能…吗
  complaint: ['situational'], // a complaint that is a request for a service
  'plain-words': ['situational'], // a need the catalogue meets, in none of its words (从里面放出来, 那口子)
};
export const FRESH5_STYLES = [...Object.keys(FRESH5_STYLE_KINDS), 'trap'];

/** The two halves of the fifth fresh world: development half and held-out half. */
export const FRESH5_FILES = { dev: 'requests.fresh5.dev.json', heldout: 'requests.fresh5.json' };

/**
 * The fresh worlds that are halved by the SHA-256 of the text (test/eval/split-fresh.mjs): their
 * files, the `split` of each half, styles and traps.
 */
export const HALVED_WORLDS = {
  fresh3: { files: FRESH3_FILES, styles: FRESH3_STYLES, traps: FRESH3_TRAPS },
  fresh4: { files: FRESH4_FILES, styles: FRESH4_STYLES, traps: FRESH4_TRAPS, styleKinds: FRESH4_STYLE_KINDS },
  fresh5: { files: FRESH5_FILES, styles: FRESH5_STYLES, traps: FRESH5_TRAPS, styleKinds: FRESH5_STYLE_KINDS },
};
/** A halved world's `split` field: `fresh4-dev` on the development half, `fresh4` on the other. */
export const halfSplit = (world, half) => (half === 'dev' ? `${world}-dev` : world);

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
