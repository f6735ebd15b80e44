import type { Need, NeedsModel } from './needs-data';

/** Words that name a business as what the request is about (a shop's licence, a factory's power supply). */
const BUSINESS_WORDS = new RegExp(
  [
    '公司',
    '企业',
    '工厂',
    '厂子',
    '厂房',
    '饭店',
    '饭馆',
    '餐馆',
    '餐厅',
    '面馆',
    '门店',
    '店铺',
    '小店',
    '店面',
    '商铺',
    '商户',
    '个体户',
    '网吧',
    '酒吧',
    '理发店',
    '仓库',
    '员工',
    '商用',
    '工地项目',
    '\\b(company|companies|business|firm|factory|restaurant|shop|enterprise|employees|staff)\\b',
  ].join('|'),
  'i',
);
/** The person asking is the business's worker or customer: the request is about their own affairs. */
const OWN_AFFAIRS = new RegExp(
  [
    '我的',
    '给我',
    '把我',
    '让我',
    '我在',
    '在(公司|厂|单位|企业)',
    '交了',
    '退休',
    '社保',
    '工资',
    '加班',
    '辞退',
    '辞职',
    '开除',
    '裁员',
    '入职',
    '离职',
    '上班',
    '工伤',
    '欠薪',
    '退款',
    '退货',
    '投诉',
    '看病',
    '医保',
    '\\b(my (boss|employer|manager|salary|wages)|i work)\\b',
  ].join('|'),
  'i',
);

/**
 * Whether a request is about a business rather than a resident's own affairs, when no need was
 * recognised to say whom it is for: it names a business and nothing in it says the person asking
 * is that business's worker or customer. Such a request is answered only by services for businesses.
 */
export function isAboutABusiness(text: string, topNeed: Need | null, model: NeedsModel): boolean {
  if (topNeed) return model.audienceKinds(topNeed).has('ORGANISATION') && topNeed.audiences.includes('business');
  return BUSINESS_WORDS.test(text) && !OWN_AFFAIRS.test(text);
}
