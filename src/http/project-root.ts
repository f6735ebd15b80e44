import { existsSync } from 'node:fs';
import path from 'node:path';

/** The directory holding package.json, above `from` (code runs from src/ and from dist/src/). */
export function projectRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}
