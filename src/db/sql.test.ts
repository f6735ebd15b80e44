import { SqlConditions } from './sql';

describe('SqlConditions', () => {
  it('numbers the parameters in the order they are added and skips the values not given', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const where = new SqlConditions()
      .equals('actor_id', 'a')
      .equals('action', null)
      .equals('target_type', '')
      .equals('target_id', undefined)
      .equals('service_id', 's', '::uuid')
      .within('at', from, null);
    where.add(`id < ${where.param('9')}`);
    expect(where.clause).toBe('WHERE actor_id = $1 AND service_id = $2::uuid AND at >= $3 AND id < $4');
    expect(where.params).toEqual(['a', 's', from.toISOString(), '9']);
  });

  it('is no clause at all without a condition', () => {
    const where = new SqlConditions().equals('x', null).within('at', null, undefined);
    expect(where.clause).toBe('');
    expect(where.params).toEqual([]);
  });
});
