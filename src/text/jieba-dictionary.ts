import { readFileSync } from 'node:fs';

/**
 * jieba's dictionary (a word, its count and part of speech per line), read from its package
 * each time it is asked for: its two readers (the segmenter and the sound-alike typo finder)
 * each need it once. Not through `@node-rs/jieba/dict`, which keeps the dictionary and jieba's
 * IDF table, unused here, as 11 MB of buffers for the life of the process.
 */
export function jiebaDictionary(): Buffer {
  return readFileSync(require.resolve('@node-rs/jieba/dict.txt'));
}
