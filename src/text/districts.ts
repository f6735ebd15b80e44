// The city's districts and counties, by the names citizens write them in.

/** The city's districts and counties (administrative codes), by the names citizens write them in. */
const DISTRICT_NAMES: readonly (readonly [string, RegExp])[] = [
  ['520102', /南明|\bnanming\b/iu],
  ['520103', /云岩|雲岩|\byunyan\b/iu],
  ['520111', /花溪|\bhuaxi\b/iu],
  ['520112', /乌当|烏當|\bwudang\b/iu],
  ['520113', /白云区|白雲區|白云|\bbaiyun\b/iu],
  ['520115', /观山湖|觀山湖|\bguanshanhu\b/iu],
  ['520121', /开阳|開陽|\bkaiyang\b/iu],
  ['520122', /息烽|\bxifeng\b/iu],
  ['520123', /修文|\bxiuwen\b/iu],
  ['520181', /清镇|清鎮|\bqingzhen\b/iu],
];

/** The codes of the city's districts and counties a request names (住在观山湖, in Kaiyang), in code order. */
export function districtsNamed(text: string): string[] {
  return DISTRICT_NAMES.filter(([, name]) => name.test(text)).map(([code]) => code);
}

/** What is left of a district's name once the name is taken out: 区, 县, 市, district, county. */
const DISTRICT_SUFFIX = /^(?:[区县市區縣]|\s*(?:district|county|city))$/iu;

/**
 * Whether a text is nothing but the name of one of the city's districts (白云区, 开阳, 观山湖区,
 * Huaxi District): it says where, not what.
 */
export function isDistrictName(text: string): boolean {
  const trimmed = text.trim();
  for (const [, name] of DISTRICT_NAMES) {
    const found = name.exec(trimmed);
    if (!found || found.index !== 0) continue;
    const rest = trimmed.slice(found[0].length);
    if (rest === '' || DISTRICT_SUFFIX.test(rest)) return true;
  }
  return false;
}

/** The city's district names with what follows them (区, 县, 市, district, county), anywhere in a text. */
const DISTRICT_NAMES_IN_TEXT = new RegExp(
  DISTRICT_NAMES.map(([, name]) => `(?:${name.source})(?:[区县市區縣]|\\s*(?:district|county|city)\\b)?`).join('|'),
  'giu',
);

/** The text with the names of the city's districts taken out (白云区老年人上门助浴 → 老年人上门助浴): what, not where. */
export function withoutDistrictNames(text: string): string {
  return text.replace(DISTRICT_NAMES_IN_TEXT, ' ');
}
