import { responseSizeLimit, stringifyMeasuredResult } from './response-size';

type Hooks = { willSendResponse(context: unknown): Promise<void> };

/** Runs the size check's willSendResponse on `singleResult` as Apollo would; the response after it. */
async function checked(singleResult: Record<string, unknown>, maxBytes = 10_000) {
  const plugin = responseSizeLimit(maxBytes, false);
  const hooks = (await plugin.requestDidStart!({} as never)) as unknown as Hooks;
  const response = { body: { kind: 'single', singleResult }, http: { status: undefined as number | undefined } };
  await hooks.willSendResponse({ response });
  return response;
}

describe('response size check and serialization', () => {
  afterEach(() => jest.restoreAllMocks());

  it("serializes a result once, though Apollo's carries `errors: undefined` beside the data", async () => {
    const data = { services: { totalCount: 2, edges: [{ node: { id: 'a', title: '办证' } }] } };
    await checked({ data, errors: undefined });
    const stringify = jest.spyOn(JSON, 'stringify');
    const text = stringifyMeasuredResult({ errors: undefined, data, extensions: undefined });
    expect(stringify).not.toHaveBeenCalled();
    expect(text).toBe(`${JSON.stringify({ data })}\n`);
  });

  it('serializes anew a result with errors, and one that is not the measured one', async () => {
    const data = { a: 1 };
    await checked({ data, errors: [{ message: 'partly failed' }] });
    const withErrors = { data, errors: [{ message: 'partly failed' }] };
    expect(stringifyMeasuredResult(withErrors)).toBe(`${JSON.stringify(withErrors)}\n`);
    expect(stringifyMeasuredResult({ data: { a: 2 } })).toBe('{"data":{"a":2}}\n');
  });

  it('replaces a response larger than the limit with one error', async () => {
    const response = await checked({ data: { text: 'x'.repeat(200) } }, 100);
    expect(response.http.status).toBe(400);
    expect(response.body).toEqual({
      kind: 'single',
      singleResult: { errors: [expect.objectContaining({ extensions: { code: 'RESPONSE_TOO_LARGE' } })] },
    });
  });
});
