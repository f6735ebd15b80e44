export { normalizeText } from './normalize';
export { tokenize, queryTokens, toTsQuery } from './tokenize';
export { buildSynonymGroups, defaultSynonyms, type SynonymGroups } from './synonyms';
export { isBlankText, VISIBLE_CHARACTER } from './blank';
export { leadingPart } from './leading';
export { expressesNoNeed } from './non-requests';
