import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildUi } from '../../ui/build-ui.ts';

const outDir = mkdtempSync(join(tmpdir(), 'ui-build-test-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('buildUi', () => {
  test('writes the page, one script and one stylesheet', async () => {
    const paths = await buildUi(outDir);

    expect(paths.map((path) => basename(path)).sort()).toEqual(['app.css', 'app.js', 'index.html']);
    for (const path of paths) expect(Bun.file(path).size).toBeGreaterThan(0);
  });

  test('page links the fixed names relatively', async () => {
    const page = await Bun.file(join(outDir, 'index.html')).text();

    expect(page).toContain('src="./app.js"');
    expect(page).toContain('href="./app.css"');
    expect(page).toContain('<monitor-app>');
  });

  test('stylesheet includes uPlot and the page styles', async () => {
    const css = await Bun.file(join(outDir, 'app.css')).text();

    expect(css).toContain('.uplot');
    expect(css).toContain('channel-tile');
  });

  test('script is self-contained production code', async () => {
    const script = await Bun.file(join(outDir, 'app.js')).text();

    expect(script).not.toMatch(/\bimport\s*\(?\s*["'](https?:)?\/\//);
    expect(script).not.toMatch(/from\s*["'][^"'.\/]/);
    expect(script).not.toContain('Lit is in dev mode');
    expect(script).toContain('monitor-app');
  });
});
