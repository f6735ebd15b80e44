import { ClientError } from 'graphql-request';

export interface ReceivedError {
  message: string;
  extensions?: {
    code?: string;
    validationErrors?: { property: string; constraints?: Record<string, string> }[];
    [key: string]: unknown;
  };
}

/** Awaits a request that must fail with `code`; returns its first error. */
export async function expectError(request: Promise<unknown>, code: string): Promise<ReceivedError> {
  try {
    await request;
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    const errors = (error.response.errors ?? []) as ReceivedError[];
    const codes = errors.map((e) => e.extensions?.code);
    if (!codes.includes(code)) {
      throw new Error(`expected error ${code}, got ${JSON.stringify(errors, null, 2)}`);
    }
    return errors.find((e) => e.extensions?.code === code)!;
  }
  throw new Error(`expected error ${code}, but the request succeeded`);
}
