import { parse, type OperationDefinitionNode } from 'graphql';
import { getSchema } from './schema';
import { dateFault, inputValueFaults, operationInputFaults, textFault } from '../core/input-checks';

describe('textFault', () => {
  it.each([
    ['a\u0000b', 'noNulCharacter'],
    ['\uD800', 'wellFormedUnicode'],
    ['x\uDBFFy', 'wellFormedUnicode'],
    ['\uDC00x', 'wellFormedUnicode'],
    ['😀\uDE00', 'wellFormedUnicode'],
  ])('refuses %j (%s)', (text, constraint) => {
    expect(textFault(text)?.constraint).toBe(constraint);
  });

  it.each(['', '社保卡', '办得快 😀', '𠀀𠀁', '\uFFFD', 'tab\tand\nnewline'])('accepts %j', (text) => {
    expect(textFault(text)).toBeNull();
  });
});

describe('dateFault', () => {
  it('accepts 1970 to before 2100 and refuses the rest', () => {
    expect(dateFault(new Date('1970-01-01T00:00:00Z'))).toBeNull();
    expect(dateFault(new Date('2099-12-31T23:59:59.999Z'))).toBeNull();
    for (const time of ['1969-12-31T23:59:59.999Z', '2100-01-01T00:00:00Z', '9999-12-31T00:00:00Z', 'junk']) {
      expect(dateFault(new Date(time))?.constraint).toBe('dateRange');
    }
  });
});

describe('inputValueFaults', () => {
  it('names each bad text by its path in lists and input objects', () => {
    const input = {
      title: 'ok',
      tags: ['a', 'b\u0000'],
      eligibility: { requiredTags: ['\uD800'] },
      at: new Date(0),
      until: new Date('2100-01-01T00:00:00Z'),
    };
    const faults = inputValueFaults(input, 'input');
    const paths = ['input.tags[1]', 'input.eligibility.requiredTags[0]', 'input.until'];
    expect(faults.map((f) => f.property)).toEqual(paths);
  });
});

describe('operationInputFaults', () => {
  const faultsOf = async (source: string, variables: Record<string, unknown> = {}) => {
    const document = parse(source);
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
    return operationInputFaults(await getSchema(), document, operation, variables).map((f) => f.property);
  };

  it('reads literals, variables and fragments, and leaves uncoercible variables to execution', async () => {
    expect(await faultsOf('mutation { retireService(id: "x", reason: "a\\u0000") { id } }')).toEqual(['reason']);
    expect(
      await faultsOf('mutation($s: [SignalInput!]!) { recordSignals(signals: $s) { accepted } }', {
        s: [{ kind: 'VIEW' }, { kind: 'SEARCH', text: '\uD800' }],
      }),
    ).toEqual(['signals[1].text']);
    const fragment = 'query($t: String!) { ...F } fragment F on Query { matchRequest(text: $t) { score } }';
    expect(await faultsOf(fragment, { t: '\u0000' })).toEqual(['text']);
    expect(await faultsOf('query($t: String!) { matchRequest(text: $t) { score } }', { t: 5 })).toEqual([]);
    expect(await faultsOf('query { matchRequest(text: "社保卡") { score } }')).toEqual([]);
  });
});
