/**
 * @module Builds the dashboard into plain files with fixed names (`index.html`,
 * `app.js`, `app.css`) that the server embeds and serves from its own origin.
 * Run alone with `bun ui/build-ui.ts [outDir]`.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const UI_DIR = import.meta.dir;
const UPLOT_CSS = resolve(UI_DIR, '../node_modules/uplot/dist/uPlot.min.css');

/**
 * Bundles `ui/src/main.ts` (minified, one file) and writes it with the page
 * and the stylesheet (uPlot's CSS first) to `outDir`, relative to the current
 * directory. Returns the written paths; throws with the bundler's messages
 * when the bundle fails.
 */
export async function buildUi(outDir = 'ui/build'): Promise<string[]> {
  const target = resolve(outDir);
  await mkdir(target, { recursive: true });
  const paths = [join(target, 'app.js'), join(target, 'app.css'), join(target, 'index.html')];

  await Bun.write(paths[0], await bundleScript());
  const pageCss = await Bun.file(join(UI_DIR, 'src/app.css')).text();
  await Bun.write(paths[1], `${await Bun.file(UPLOT_CSS).text()}\n${pageCss}`);
  await Bun.write(paths[2], Bun.file(join(UI_DIR, 'src/index.html')));
  return paths;
}

async function bundleScript(): Promise<string> {
  const result = await Bun.build({
    entrypoints: [join(UI_DIR, 'src/main.ts')],
    target: 'browser',
    format: 'esm',
    minify: true,
    splitting: false,
    // Without it Bun resolves Lit's `development` export, which warns in
    // the console and is about 15 kB larger.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  if (!result.success) {
    const messages = result.logs.map((log) => String(log)).join('\n');
    throw new Error(`bundling the dashboard failed:\n${messages}`);
  }
  const [script, ...extra] = result.outputs.filter((output) => output.kind === 'entry-point');
  if (!script || extra.length > 0) {
    throw new Error(`expected one script from the dashboard bundle, got ${result.outputs.length}`);
  }
  return script.text();
}

if (import.meta.main) {
  const paths = await buildUi(process.argv[2]);
  for (const path of paths) console.log(`${path} ${Bun.file(path).size} bytes`);
}
