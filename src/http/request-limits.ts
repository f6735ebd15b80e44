import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config';

export type JsonExcess = 'tooDeep' | 'tooLarge';

/**
 * Whether a parsed JSON value nests deeper than `maxDepth` containers or holds more than
 * `maxValues` values (objects, arrays and scalars; keys aside). Iterative, so that no depth
 * overflows the stack, and it stops at the first excess. Pure: unit-tested.
 */
export function jsonExcess(value: unknown, maxDepth: number, maxValues: number): JsonExcess | null {
  const stack: [unknown, number][] = [[value, 0]];
  let values = 0;
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    values += 1;
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > maxDepth) return 'tooDeep';
    const children = Array.isArray(item) ? item : Object.values(item);
    if (values + stack.length + children.length > maxValues) return 'tooLarge';
    for (const child of children) stack.push([child, depth + 1]);
  }
  return null;
}

/** The request members checked: a JSON body's, or a GET's query parameters (JSON text). */
const MEMBERS = ['variables', 'extensions'] as const;

function memberOf(req: Request, name: (typeof MEMBERS)[number]): unknown {
  if (req.method !== 'GET') return (req.body as Record<string, unknown> | undefined)?.[name];
  const text = (req.query as Record<string, unknown>)[name];
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text); // JSON.parse is iterative: no depth overflows it
  } catch {
    return undefined; // Apollo refuses malformed JSON itself
  }
}

/**
 * Refuses, before any GraphQL work, a request whose `variables` (or `extensions`) nest deeper
 * than MAX_VARIABLE_DEPTH or hold more than MAX_VARIABLE_VALUES values: 400 VARIABLES_TOO_DEEP
 * or VARIABLES_TOO_LARGE. Deep JSON parses fine but overflows the stack of whatever walks it
 * recursively later (a 500 before: 5,000 nested arrays in the variables).
 */
export function requestLimits(limits: Config['limits']) {
  const { maxVariableDepth, maxVariableValues, exposeLimits } = limits;
  return (req: Request, res: Response, next: NextFunction) => {
    for (const name of MEMBERS) {
      const value = memberOf(req, name);
      if (value === undefined) continue;
      const excess = jsonExcess(value, maxVariableDepth, maxVariableValues);
      if (!excess) continue;
      const limit = excess === 'tooDeep' ? `more than ${maxVariableDepth} levels` : `more than ${maxVariableValues}`;
      const shown = exposeLimits ? ` (${limit})` : '';
      const [code, message] =
        excess === 'tooDeep'
          ? ['VARIABLES_TOO_DEEP', `The request's ${name} are nested too deeply${shown}.`]
          : ['VARIABLES_TOO_LARGE', `The request's ${name} hold too many values${shown}.`];
      res.status(400).json({ errors: [{ message, extensions: { code } }] });
      return;
    }
    next();
  };
}
