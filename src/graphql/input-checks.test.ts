import { parse, type OperationDefinitionNode } from 'graphql';
import { getSchema } from './schema';
import { inputValueFaults, operationInputFaults, textFault } from './input-checks';

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

describe('inputValueFaults', () => {
  it('names each bad text by its path in lists and input objects', () => {
    const faults = inputValueFaults({ title: 'ok', tags: ['a', 'b\u0000'], eligibility: { requiredTags: ['\uD800'] }, at: new Date(0) }, 'input');
    expect(faults.map((f) => f.property)).toEqual(['input.tags[1]', 'input.eligibility.requiredTags[0]']);
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
    expect(await faultsOf('mutation($s: [SignalInput!]!) { recordSignals(signals: $s) { accepted } }', {
      s: [{ kind: 'VIEW' }, { kind: 'SEARCH', text: '\uD800' }],
    })).toEqual(['signals[1].text']);
    expect(await faultsOf('query($t: String!) { ...F } fragment F on Query { matchRequest(text: $t) { score } }', { t: '\u0000' })).toEqual(['text']);
    expect(await faultsOf('query($t: String!) { matchRequest(text: $t) { score } }', { t: 5 })).toEqual([]);
    expect(await faultsOf('query { matchRequest(text: "社保卡") { score } }')).toEqual([]);
  });
});
