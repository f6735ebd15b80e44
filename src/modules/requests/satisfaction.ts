import { registerEnumType } from 'type-graphql';

/** The five levels of 政务服务"好差评". */
export enum SatisfactionLevel {
  VERY_SATISFIED = 'VERY_SATISFIED',
  SATISFIED = 'SATISFIED',
  NEUTRAL = 'NEUTRAL',
  DISSATISFIED = 'DISSATISFIED',
  VERY_DISSATISFIED = 'VERY_DISSATISFIED',
}
registerEnumType(SatisfactionLevel, {
  name: 'SatisfactionLevel',
  description: '非常满意, 满意, 基本满意, 不满意, 非常不满意',
});

export const LEVEL_SCORE: Readonly<Record<SatisfactionLevel, number>> = {
  VERY_SATISFIED: 5,
  SATISFIED: 4,
  NEUTRAL: 3,
  DISSATISFIED: 2,
  VERY_DISSATISFIED: 1,
};

/** 差评: a rating that opens a rectification item for the department. */
export function isBadRating(level: SatisfactionLevel): boolean {
  return LEVEL_SCORE[level] <= 2;
}
