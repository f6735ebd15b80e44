import { arrayLiteral, SqlConditions } from './sql';
import { openTestDatabase, type TestDatabase } from '../../test/helpers/test-database';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe('arrayLiteral', () => {
  it('reads back as the same values on the database, nulls, quotes, backslashes, commas and braces included', async () => {
    const texts = [
      'plain',
      null,
      'a "quoted" word',
      'back\\slash',
      'x,y',
      '{braces}',
      '',
      'NULL',
      ' spaced ',
      '社保卡',
    ];
    const [{ values }] = await t.db.query('SELECT $1::text[] AS values', [arrayLiteral(texts)]);
    expect(values).toEqual(texts);
    const [{ numbers, flags }] = await t.db.query('SELECT $1::real[] AS numbers, $2::boolean[] AS flags', [
      arrayLiteral([0.5, null, 3]),
      arrayLiteral([true, false, null]),
    ]);
    expect(numbers).toEqual([0.5, null, 3]);
    expect(flags).toEqual([true, false, null]);
    expect(arrayLiteral([])).toBe('{}');
  });
});

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
