// The planner console: one bundled script (the page's TypeScript with the parts of ECharts it
// uses), its stylesheet and index.html, written to outdir. No CDN: the city's network may be closed.
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export async function build(outdir) {
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(here, 'src', 'main.ts')],
    outfile: path.join(outdir, 'console.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    logLevel: 'warning',
  });
  await Promise.all(
    ['index.html', 'console.css'].map((file) => copyFile(path.join(here, file), path.join(outdir, file))),
  );
  // ECharts is Apache-2.0: its licence and notice travel with the bundle.
  const echarts = path.dirname(require.resolve('echarts/package.json'));
  await Promise.all(
    ['LICENSE', 'NOTICE'].map((file) => copyFile(path.join(echarts, file), path.join(outdir, `echarts-${file}.txt`))),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await build(path.resolve(here, '..', '..', 'dist', 'web', 'console'));
}
