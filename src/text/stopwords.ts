/** Words that carry no topic anywhere: dropped from indexed text and from queries. */
export const STOPWORDS = new Set([
  '的', '了', '和', '与', '及', '或', '在', '是', '我', '你', '他', '她', '它', '们', '我们', '你们',
  '给', '把', '被', '去', '到', '有', '个', '吗', '呢', '啊', '吧', '呀', '哦', '嗯', '请', '请问',
  '这', '那', '这个', '那个', '一个', '一下', '怎么', '怎样', '怎么样', '如何', '哪里', '哪儿', '在哪',
  '在哪里', '哪个', '什么', '可以', '能', '能不能', '要', '想', '想要', '需要', '应该', '还', '也', '都',
  '就', '又', '很', '太', '得', '地', '着', '过', '为', '对', '从', '向', '等', '之', '以', '其', '中',
  'the', 'a', 'an', 'of', 'for', 'to', 'and', 'or', 'in', 'on', 'at', 'by', 'with', 'my', 'i', 'me',
  'how', 'where', 'what', 'can', 'do', 'is', 'are', 'be', 'it', 'from', 'your', 'you',
]);

/**
 * Words common to so many service titles that, in a query, they only widen the match
 * (办理, 申请 …). Dropped from a query unless nothing else is left.
 */
export const QUERY_STOPWORDS = new Set([
  '办理', '办', '申请', '服务', '查询', '业务', '手续', '流程', '材料', '网上', '线上', '在线',
  '咨询', '登记', '情况', '相关', '问题', '帮忙', '帮我', '需要办',
  '多少', '多少钱', '多久', '每个月', '去哪', '去哪儿', '哪些', '什么样', '准备', '了解', '知道', '告诉',
  '可以吗', '行吗', '是否', '有没有', '要不要', '是不是', '怎么弄', '怎么办', '一般', '大概', '现在',
  'apply', 'application', 'service', 'services', 'online', 'get', 'need', 'want', 'please', 'help',
  'she', 'he', 'we', 'they', 'his', 'her', 'our', 'their', 'mum', 'mom', 'dad', 'does', 'will', 'should',
]);
