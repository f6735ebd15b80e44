/**
 * What a request says beyond its words' topics, read before its needs and words are: what the
 * citizen says they do NOT want ("不是要办新卡，是原来那张丢了"), and whether they ask about a
 * service of another city ("深圳地铁老人卡怎么办"), which the city's catalogue never meets.
 * Pure functions over the text as typed (simplified or traditional script, any width).
 */

/** A clause boundary: punctuation of either width, or the start of the text. */
const BOUNDARY = '[，,。.；;！!？?、\\s]';
/**
 * Words that open a disclaimer when they open a clause (optionally after 我, 我们, 也, 并): the
 * clause names what the citizen does not want. 不想 and a bare 没有 are not among them: 不想活了
 * and 没有工作 are the request itself.
 */
const DISCLAIMER = '(?:并|並)?不是(?:要|想)?|(?:没有|沒有|没|沒)要?|不要|不用|不需要|不(?:办|辦)';
/** Words that open the clause saying what is wanted instead (是不是 and 是否 ask, they do not say). */
const INSTEAD = '而是|只是|就是|其实是|其實是|是(?!不是|否)|只想|就想|我想|我要|想|要';
/** …after a bare 没有 (我没有失业，只是想换个工作), only a plain contrast: 没有工作，想找个活 is one need. */
const STRONG_INSTEAD = '而是|只是|就是|其实是|其實是';
/**
 * A disclaimer clause: its opening word, then what is not wanted, up to a clause boundary, or, in
 * a run-on without punctuation, up to 而是/只是/就是/是. 是不是 (a question) never opens one: the
 * opening must start a clause.
 */
const DISCLAIMED = new RegExp(
  `(^|${BOUNDARY})((?:我们|我們|我|也|这|這)?(?:${DISCLAIMER}))` +
    `(?:([^，,。；;！!？?]{1,24}?)${BOUNDARY}+|([^，,。；;！!？?是]{1,16}?)(?=而是|只是|就是|是(?!不是|否)))`,
  'gu',
);
/** The wanted clause after a disclaimer; after 不是 it may name its subject first (我驾照是弄丢了). */
const WANTED = new RegExp(`^(?:我们|我們|我|也)?(?:${INSTEAD})`, 'u');
const WANTED_AFTER_NOT = new RegExp(`^[^，,。；;！!？?是]{0,6}?(?:${INSTEAD})`, 'u');
const STRONG_WANTED = new RegExp(`^(?:我们|我們|我|也)?(?:${STRONG_INSTEAD})`, 'u');
/** English disclaimers: "not X, (but|just|only|I) …" and "I don't want X, …". */
const DISCLAIMED_EN =
  /(^|[,.;!?]\s*)(?:(?:it'?s|i'?m|this is)\s+)?(?:not|i\s+(?:don'?t|do not)\s+(?:want|need))\b[^,.;!?]{1,60}[,.;]\s*(?=but\b|just\b|only\b|i\b|i'm\b|it'?s\b|rather\b)/giu;
/** Least characters of the wanted part left after a disclaimer is taken out. */
const MIN_LEFT = 2;

/** A request split into what it asks for and the clauses in which it says what it does not want. */
export interface Disclaimers {
  /** The request without its disclaimers (the whole text when it has none). */
  wanted: string;
  /** The clauses taken out, as written ("不是要办新的社保卡"). */
  disclaimed: string[];
}

/**
 * The request without the clauses it disclaims: "不是要办新的社保卡，是原来那张丢了" asks for
 * "是原来那张丢了", "不是查电费是家里突然停电了" for "是家里突然停电了", "not a new card, I lost
 * mine" for "I lost mine". Nothing is taken out when taking the disclaimers out would leave
 * (almost) nothing: "不是本地户口" alone is the request. 是不是, 不要钱 inside a clause
 * (坐公交不要钱) and 不想/没有 (没有工作) are no disclaimers.
 */
export function disclaimersOf(text: string): Disclaimers {
  const disclaimed: string[] = [];
  let wanted = text.replace(
    DISCLAIMED,
    (
      whole: string,
      before: string,
      opening: string,
      clause: string | undefined,
      runOn: string | undefined,
      offset: number,
    ) => {
      const not = opening.includes('不是');
      const rest = text.slice(offset + whole.length);
      const bare = /(?:没有|沒有|没|沒)$/u.test(opening);
      const wantedNext = not ? WANTED_AFTER_NOT : bare ? STRONG_WANTED : WANTED;
      if (runOn !== undefined ? !not : !wantedNext.test(rest)) return whole;
      disclaimed.push(`${opening}${clause ?? runOn}`);
      return before;
    },
  );
  wanted = wanted.replace(DISCLAIMED_EN, (whole: string, before: string) => {
    disclaimed.push(whole.slice(before.length).replace(/[,.;]\s*$/u, ''));
    return before;
  });
  const left = wanted.replace(/[^\p{L}\p{N}]/gu, '');
  if (disclaimed.length === 0 || left.length < MIN_LEFT) return { wanted: text, disclaimed: [] };
  return { wanted: wanted.trim(), disclaimed };
}

/**
 * Other cities (and provinces) of China whose own services a citizen may ask about, in Chinese
 * and in pinyin. Hong Kong, Macao and Taiwan are left out: the city issues the permits to go there.
 */
const OTHER_CITIES = [
  '北京',
  '上海',
  '天津',
  '重庆',
  '深圳',
  '广州',
  '成都',
  '杭州',
  '武汉',
  '南京',
  '西安',
  '长沙',
  '昆明',
  '南宁',
  '郑州',
  '苏州',
  '厦门',
  '青岛',
  '东莞',
  '佛山',
  '合肥',
  '福州',
  '济南',
  '沈阳',
  '哈尔滨',
  '海口',
  '三亚',
  '遵义',
  '安顺',
  '六盘水',
  '毕节',
  '铜仁',
  '凯里',
  '都匀',
  '兴义',
  '四川',
  '云南',
  '广东',
  '广西',
  '湖南',
  '湖北',
  '浙江',
  '江苏',
  '福建',
  '河南',
  '山东',
];
const OTHER_CITIES_EN = [
  'beijing',
  'shanghai',
  'tianjin',
  'chongqing',
  'shenzhen',
  'guangzhou',
  'chengdu',
  'hangzhou',
  'wuhan',
  'nanjing',
  "xi'an",
  'changsha',
  'kunming',
  'zunyi',
];
const CITY = `(${OTHER_CITIES.join('|')})`;
const CITY_EN = `(${OTHER_CITIES_EN.join('|')})`;
/** The services a city runs for its own residents, as a request names them after the city (深圳地铁, 重庆的居住证). */
const CITY_SERVICE = [
  '地铁',
  '地鐵',
  '公交',
  '交通卡',
  '通卡',
  '市民卡',
  '老人卡',
  '老年卡',
  '敬老卡',
  '社保',
  '医保',
  '醫保',
  '公积金',
  '公積金',
  '居住证',
  '居住證',
  '暂住证',
  '积分',
  '入学',
  '入學',
  '学位',
  '小升初',
  '幼升小',
  '中考',
  '学校',
  '幼儿园',
  '人才',
  '补贴',
  '補貼',
  '政策',
  '落户',
  '摇号',
  '车牌',
  '限行',
  '政务',
  '低保',
  '公租房',
  '廉租房',
  '保障房',
  '消费券',
].join('|');
/** What a citizen does to obtain a service in a place: 在上海办, 在深圳交, 在成都报名. */
const OBTAIN =
  '(怎么|如何|能不能|能否|可以|可不可以|要|想|去)?(办|辦|交|缴|繳|申请|申請|领|領|报名|報名|考|补办|補辦|换|換|登记|登記|摇号)';
/**
 * A request for another city's own service: the city owns the service (深圳地铁老人卡, 办深圳的
 * 居住证, 成都的孩子小升初 — "the city's" is no place where someone only is), or the service is
 * obtained there (在上海办居住证, 在深圳交社保), or in English a service named after the city (a
 * Shanghai residence permit, Shenzhen's metro card). Not where a person lives, works or comes from
 * (我儿子在深圳, 四川人, 从重庆来的, 在深圳的女儿).
 */
const OTHER_CITY_SERVICE = new RegExp(
  [
    `${CITY}市?的?(${CITY_SERVICE})`,
    `(?<!(在|住在|从|從|来自|來自|去|到|回)[^，,。.!！?？\\s]{0,2})${CITY}市?的(?![人，,。、\\s]|[儿女]|亲戚|家人|朋友|同学|老乡)`,
    `在${CITY}市?${OBTAIN}`,
    `\\b${CITY_EN}('s)?\\s+(metro|subway|bus|transit|transport|travel card|residence|resident|hukou|social|medical|pension|housing|provident|school|schools|kindergarten|talent|policy|subsid(y|ies)|government|senior|elderly|card)\\b`,
    `\\b(apply|applying|register|registering|pay|paying|get|getting)\\b[^.,;!?]{0,40}\\bin ${CITY_EN}\\b`,
  ].join('|'),
  'iu',
);
/**
 * Words that bring the request back to this city: its name and districts, and the words of
 * matters that cross cities, which the city's services handle (moving a pension or hukou here,
 * medical treatment or a bill from elsewhere, a citizen who comes from or goes there).
 */
const BACK_HERE = new RegExp(
  [
    '贵阳',
    '貴陽',
    '筑',
    '南明',
    '云岩',
    '雲岩',
    '花溪',
    '乌当',
    '烏當',
    '白云',
    '白雲',
    '观山湖',
    '觀山湖',
    '清镇',
    '清鎮',
    '修文',
    '息烽',
    '开阳',
    '開陽',
    '本地',
    '这边',
    '這邊',
    '这里',
    '這裡',
    '我们这',
    '转',
    '轉',
    '迁',
    '遷',
    '回(?!复|答|执)',
    '异地',
    '異地',
    '外地',
    '跨省',
    '跨市',
    '老家',
    '户口',
    '戶口',
    '户籍',
    '戶籍',
    '籍',
    '[来來](?!不及)',
    '到(?!期)',
    '从',
    '從',
    '去(?!年|世)',
    '调',
    '調',
    '搬',
    '离开',
    '離開',
    '出差',
    '旅游',
    '旅遊',
    '打工',
    '就医',
    '就醫',
    '看病',
    '住院',
    '报销',
    '報銷',
    '交的',
    '交了',
    '缴',
    '繳',
    '\\b(guiyang|guizhou|nanming|yunyan|huaxi|wudang|baiyun|guanshanhu|qingzhen|xiuwen|xifeng|kaiyang)\\b',
    '\\b(from|to|move|moving|moved|transfer|back|hometown|travel|trip|hospital|here|insured|lives? with)\\b',
  ].join('|'),
  'iu',
);

/**
 * The other city whose own service the request asks about ("深圳地铁老人卡怎么办", "重庆的居住证
 * 到期了要签注", "在上海办居住证", "a Shanghai residence permit"), or null. A city that only names
 * where someone lives, works or comes from (我儿子在深圳，家里老人没人照顾; 四川人想在这边交社保)
 * is null, and so is a request that names this city or one of its districts or crosses cities
 * (转回来, 异地就医, 从深圳辞职回贵阳, 四川户口, moving to Shanghai): this city's services answer it.
 */
export function otherCityAskedAbout(text: string): string | null {
  const found = OTHER_CITY_SERVICE.exec(text);
  if (!found || BACK_HERE.test(text)) return null;
  const city = found
    .slice(1)
    .find((group) => group !== undefined && new RegExp(`^(${CITY}|${CITY_EN})$`, 'iu').test(group));
  return city ?? null;
}

/** Goods and services that shops and companies sell, not the city (a phone, broadband, a gym, a cleaner). */
const COMMERCIAL_THING = new RegExp(
  [
    '手机',
    '电脑',
    '電腦',
    '平板',
    '空调',
    '空調',
    '冰箱',
    '洗衣机',
    '洗衣機',
    '电视',
    '電視',
    '热水器',
    '熱水器',
    '油烟机',
    '净水器',
    '淨水器',
    '扫地机',
    '按摩椅',
    '宽带',
    '寬頻',
    '路由器',
    '健身房',
    '健身卡',
    '保洁',
    '家政公司',
    '搬家公司',
    '开锁',
    '婚纱照',
    '婚庆',
    '重疾险',
    '商业保险',
    '理财',
    '火锅',
    '餐厅',
    '餐廳',
    '饭馆',
    '奶茶',
    '咖啡',
    '苹果手机',
    '\\b(i?phone|ipad|laptop|air ?con(ditioner)?|fridge|washing machine|broadband|wi-?fi|router|gym|cleaner|locksmith|movers|restaurant|hotpot|cafe|café|coffee|bar)\\b',
  ].join('|'),
  'iu',
);
/** What a customer asks of them: a repair, a purchase, a price, a recommendation. */
const CUSTOMER_ASKS = new RegExp(
  [
    '修',
    '坏了',
    '壞了',
    '碎了',
    '不制冷',
    '不制热',
    '断网',
    '斷網',
    '没网',
    '网速',
    '哪家',
    '买[份个台部]',
    '買[份個台部]',
    '便宜',
    '划算',
    '推荐',
    '推薦',
    '办卡',
    '请个',
    '找个',
    '哪里[能可]?买',
    '哪儿[能可]?买',
    '在哪买',
    '二手',
    '团购',
    '團購',
    '好吃',
    '\\b(repair|fix|fixed|broken|cracked|cheap|cheapest|best|good|recommend|hire|buy|second-?hand|open late)\\b',
  ].join('|'),
  'iu',
);
/**
 * What the city does for customers and homes: complaints against a seller (12315), trade-in
 * subsidies for appliances, care for older or disabled people, the housing maintenance fund and the
 * renovation of old estates and of homes for older people (老旧小区改造, 适老化改造). A request
 * with these is no commercial trap.
 */
const PUBLIC_PART = new RegExp(
  [
    '投诉',
    '投訴',
    '举报',
    '退款',
    '退货',
    '退钱',
    '质量',
    '假货',
    '骗',
    '維權',
    '维权',
    '12315',
    '商家',
    '补贴',
    '補貼',
    '国补',
    '國補',
    '以旧换新',
    '理赔',
    '理賠',
    '老人',
    '老年',
    '爷爷',
    '奶奶',
    '外[公婆]',
    '我[妈爸]',
    '父母',
    '独居',
    '一个人住',
    '失能',
    '瘫',
    '残疾',
    '殘疾',
    '低保',
    '困难',
    '维修基金',
    '维修资金',
    '維修基金',
    '維修資金',
    '改造',
    '适老',
    '適老',
    // Opening a shop of one's own: its licences are the city's (开个咖啡店要哪些证).
    '开[个家间]?店',
    '开[个家间一]',
    '执照',
    '執照',
    '许可',
    '許可',
    '\\b(complain|complaint|refund|subsidy|subsidies|trade-?in|elderly|disabled|scam|maintenance fund|renovation|retrofit|licen[cs]es?|permits?|open(ing)? an? )\\b',
  ].join('|'),
  'iu',
);

/** A motor vehicle of a citizen's own. */
const OWN_VEHICLE =
  /摩托|汽车|汽車|轿车|轎車|车子|車子|私家车|电动车|電動車|电瓶车|小车|爱车|我的车|面包车|越野车|\b(car|motorbike|motorcycle|scooter|moped|vehicle)s?\b/iu;
/**
 * What insurers, scrapyards and garages do to a vehicle, which the city does not: insure it,
 * scrap it, modify it (摩托车买份保险, 旧车报废卖废品, 加个行李架, 改装排气).
 */
const VEHICLE_TRADE =
  /(车|車)[^，,。；;\s]{0,3}(保险|保險)|车险|車險|交强险|报废|報廢|改装|改裝|加装|加裝|行李架|尾翼|排气|排氣|贴膜|輪轂|轮毂|改色|补漆|補漆|喷漆|噴漆|洗车|洗車|保养|保養|换轮胎|換輪胎|\b(car|motorbike|motorcycle|scooter|moped|vehicle)s?('s)? insurance\b|\binsure (my|the|a|our) (car|motorbike|motorcycle|scooter|moped)\b|\b(scrap|scrapped|scrapping|scrapyard|modify|modified|modification|roof rack|spoiler|exhaust|tint|tinted|body kit)\b/iu;
/**
 * The city's part in a vehicle (the catalogue's): the trade-in and scrappage subsidy, vehicle tax,
 * disabled drivers, home chargers, registration, inspection, licences, fines and accidents.
 */
const VEHICLE_PUBLIC =
  /补贴|補貼|以旧换新|以舊換新|换新|換新|[能可]补|补多少|車船稅|车船税|税|稅|残疾|殘疾|轮椅|輪椅|充电|充電|上牌|挂牌|年检|年審|年审|过户|過戶|驾照|駕照|驾驶证|駕駛證|违章|違章|罚|罰|车管所|抵押|号牌|牌照|事故|撞|社保|工伤|工傷|医保|醫保|养老|養老|失业|外卖|外賣|快递|网约车|網約車|\b(subsid(y|ies)|scrappage|trade-?in|tax|disabled|wheelchair|charg(er|ing)|regist(er|ration)|inspection|licen[cs]e|plates?|fines?|ticket|accident|crash)\b/iu;

/**
 * What a request asks an insurer, a scrapyard or a garage to do to the citizen's vehicle
 * ("我想给摩托车买份保险", "车太旧了想报废", "汽车想加个行李架"), as the trade's word, or null. The
 * city's services on vehicles (报废补贴, 车船税, 上牌, 年检, an accident) are null.
 */
export function vehicleTradeAskedFor(text: string): string | null {
  if (!OWN_VEHICLE.test(text) || VEHICLE_PUBLIC.test(text)) return null;
  return VEHICLE_TRADE.exec(text)?.[0] ?? null;
}

/**
 * The commercial good or service a request asks a seller for ("手机屏幕摔碎了哪里修便宜", "健身房
 * 办卡哪家划算", "my phone screen is cracked, where to fix it"), or null. The city sells and
 * repairs none; a complaint against a seller (12315), a trade-in subsidy or care for an older
 * person is the city's, and null. A vehicle's insurance, scrapping or modification is a trade too
 * (vehicleTradeAskedFor).
 */
export function commercialServiceAskedFor(text: string): string | null {
  const thing = COMMERCIAL_THING.exec(text);
  if (!thing || !CUSTOMER_ASKS.test(text) || PUBLIC_PART.test(text)) return vehicleTradeAskedFor(text);
  return thing[0];
}

/** Markup and script: tags (with a script's or style's content) and template placeholders. */
const MARKUP =
  /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>|<\/?[a-z!?][^<>]*>|\{\{[\s\S]*?\}\}|\$\{[\s\S]*?\}|<%[\s\S]*?%>|javascript:/giu;
/** What only a database statement or an injection into one looks like: SELECT … FROM, OR 1=1, a trailing comment. */
const SQL_LIKE =
  /\bselect\s+(?:\*|\w+(?:\s*,\s*\w+)*)\s+from\b|\bunion\s+(?:all\s+)?select\b|\binsert\s+into\b|\bdelete\s+from\b|\bdrop\s+(?:table|database)\b|\bupdate\s+\w+\s+set\b|\b(?:or|and)\s+['"]?\w+['"]?\s*=\s*['"]?\w+|['"]\s*(?:or|and)\b|--\s*$|;\s*--|\/\*[\s\S]*?\*\/|\b(?:sleep|waitfor|benchmark)\s*\(/iu;
/**
 * A database statement, to its end (a semicolon, the end of the text or the first character that
 * is not printable ASCII). A class of what is kept, not of what is not: under /iu, a negated class
 * of the non-ASCII would also refuse s and k (ſ and the Kelvin sign fold to them).
 */
const SQL_STATEMENT = /\b(?:select|insert|update|delete|drop|union|exec(?:ute)?|create|alter|truncate)\b[\t -:<-~]*/giu;
/** The words, operators and quotes of a database statement. */
const SQL_TOKENS =
  /\b(?:select|from|where|union|all|insert|into|values|delete|drop|table|database|update|set|or|and|not|null|like|order|by|group|having|limit|exec|execute|sleep|waitfor|delay|benchmark|information_schema|concat|char|version)\b|['"`]?\w*['"`]?\s*=\s*['"`]?\w*['"`]?|--|\/\*|\*\/|[*=;'"`()]/giu;

/**
 * The request without what carries no meaning a citizen wrote: markup (tags, a script and its
 * content, template placeholders) and, in a text that looks like a database statement or an
 * injection into one ("SELECT * FROM citizen; --", "' OR 1=1 --"), the statements (with the
 * names in them) and the words, operators and quotes left of them. What is left is read
 * ("SELECT * FROM users; 我要办低保": 我要办低保); a request of nothing else reads as empty.
 */
export function withoutMarkup(text: string): string {
  let left = text.replace(MARKUP, ' ');
  if (SQL_LIKE.test(left)) left = left.replace(SQL_STATEMENT, ' ').replace(SQL_TOKENS, ' ');
  return left === text ? text : left.replace(/\s+/gu, ' ').trim();
}

/**
 * English words that name a service only as a part of a term of two or more words (a senior
 * citizen, a fitness or driving test), with the words that complete them. Alone they do not carry
 * the term's meaning: "citizen" is any resident, not a senior citizen; "test" is no fitness test;
 * "senior" alone qualifies nothing (an older person? a senior high school?).
 */
const TERM_PARTS: { part: RegExp; completed: RegExp }[] = [
  { part: /\bcitizens?\b/giu, completed: /\b(?:senior|elderly|old|older|aged)\s+citizens?\b/iu },
  {
    part: /\btest(?:s|ing)?\b/giu,
    completed:
      /\b(?:fitness|physical|hiv|aids|tb|tuberculosis|blood|eye|health|medical|driving|drive|driver'?s?|licen[cs]e|ielts|exam|pregnan\w*|baby|covid|dna|hearing|vision|road|theory|urine|screening)\b/iu,
  },
  // "senior" qualifies the word after it (a senior citizen, a senior card, senior high school).
  { part: /\bsenior\b(?!\s+[a-z])/giu, completed: /^$/u },
];

/**
 * The request without the English words that only a term of several words gives a meaning to,
 * where the words that complete the term are missing ("citizen" alone, "test" alone, "senior"
 * qualifying nothing). "senior citizen card", "free HIV test" and "book my driving test" keep them.
 */
export function withoutLoneTermParts(text: string): string {
  let left = text;
  for (const { part, completed } of TERM_PARTS) {
    if (!completed.test(left)) left = left.replace(part, ' ');
  }
  return left === text ? text : left.replace(/\s+/gu, ' ').trim();
}

/** A request that only tries the input ("测试一下", "test 123", "试试", "hello"): the words of trying or greeting, nothing asked. */
const TRYING_WORDS =
  /^(?:(?:这是|這是|我|只是|就是|随便|隨便)?(?:一[条个條個])?(?:测试|測試|试试|試試|试一下|試一下|测一下|測一下|试用|試用|test(?:ing)?|hello|hi|hey|你好|您好|在吗|在嗎|喂|哈喽|哈囉|asdf|qwerty|abc)(?:一下子?|下|而已|看看|看|消息|信息|数据|數據|内容|內容|请求|請求)*)+$/iu;

/** Whether a request only tries the input: the words of trying or greeting alone (with digits and punctuation). */
export function onlyTriesTheInput(text: string): boolean {
  const words = text.replace(/[^\p{L}]/gu, '');
  return words.length > 0 && TRYING_WORDS.test(words);
}

/** Private investments: stocks, funds, crypto, forex, futures, wealth-management products. */
const PRIVATE_FINANCE = new RegExp(
  [
    '股票',
    '炒股',
    '股市',
    '港股',
    '美股',
    'A股',
    '开户炒',
    '(?:买|買|卖|賣|炒|定投|申购|申購|赎回|贖回|投资|投資)[^，,。；;\\s]{0,3}基金',
    '基金(?:定投|理财|理財|开户|開戶|收益|净值|淨值|亏|虧|涨|漲|跌)',
    '比特币',
    '比特幣',
    '加密货币',
    '加密貨幣',
    '虚拟货币',
    '虛擬貨幣',
    '数字货币',
    '數字貨幣',
    '炒币',
    '炒幣',
    '外汇',
    '外匯',
    '炒汇',
    '期货',
    '期貨',
    '理财产品',
    '理財產品',
    '\\b(?:stocks?|shares|equities|mutual funds?|index funds?|etfs?|crypto(?:currency|currencies)?|bitcoin|ethereum|forex|futures|brokerage)\\b',
  ].join('|'),
  'iu',
);
/** The city's part in money matters: fraud (police), complaints against a firm, the public funds. */
const FINANCE_PUBLIC =
  /骗|騙|诈骗|詐騙|非法集资|非法集資|投诉|投訴|举报|舉報|报警|報警|维权|維權|公积金|公積金|社保|医保|醫保|养老|養老|\b(?:scam|fraud|scammed|complain|complaint|report)\b/iu;

/**
 * The private investment a request asks about ("股票怎么买", "基金定投哪个好", "how to buy
 * bitcoin"), or null: buying and selling stocks, funds, crypto or currencies is a matter for a
 * bank or a broker, not the city. Fraud, an illegal fund-raising or a complaint is the city's (null).
 */
export function privateFinanceAskedAbout(text: string): string | null {
  if (FINANCE_PUBLIC.test(text)) return null;
  return PRIVATE_FINANCE.exec(text)?.[0] ?? null;
}
