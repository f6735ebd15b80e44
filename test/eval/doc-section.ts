import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/** docs/ of the project, from the sources or from the build output. */
export function docsPath(file: string): string {
  for (const root of [path.resolve(__dirname, '..', '..'), path.resolve(__dirname, '..', '..', '..')]) {
    if (existsSync(path.join(root, 'package.json'))) return path.join(root, 'docs', file);
  }
  throw new Error('project root not found');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in a docs file. */
export function writeDocSection(file: string, name: string, body: string): void {
  const target = docsPath(file);
  const text = readFileSync(target, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${target} has no section ${name}`);
  writeFileSync(target, `${text.slice(0, from + start.length)}\n${body.trim()}\n${text.slice(to)}`);
}

/** A Markdown table. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
