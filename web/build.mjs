// Bundles the browser pages (planner console, GraphiQL) into dist/web/<page>/ with esbuild:
// everything they load is served by the API process itself, no CDN.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outRoot = path.resolve(here, '..', 'dist', 'web');

export async function buildWeb() {
  for (const page of ['console', 'graphiql']) {
    const script = path.join(here, page, 'build.mjs');
    if (!existsSync(script)) continue;
    const { build } = await import(script);
    await build(path.join(outRoot, page));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWeb();
}
