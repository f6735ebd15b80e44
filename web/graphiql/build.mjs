// GraphiQL for /graphiql: React, GraphiQL and its stylesheet (fonts inlined) bundled into
// graphiql.js and graphiql.css beside index.html, written to outdir. No CDN: it works offline.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function build(outdir) {
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { graphiql: path.join(here, 'src', 'main.tsx') },
    outdir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl' },
    minify: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  await copyFile(path.join(here, 'index.html'), path.join(outdir, 'index.html'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await build(path.resolve(here, '..', '..', 'dist', 'web', 'graphiql'));
}
