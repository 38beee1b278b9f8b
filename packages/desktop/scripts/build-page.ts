/**
 * Builds the desktop's placeholder page (page/ → dist/page/): one ES module bundling the real
 * client from source, beside the page's index.html. `npm run build` runs it; tests call
 * `buildPlaceholderPage` into a temp directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pageDir = fileURLToPath(new URL('../page/', import.meta.url));
export const DEFAULT_PAGE_OUT_DIR = fileURLToPath(new URL('../dist/page/', import.meta.url));

export async function buildPlaceholderPage(outDir: string = DEFAULT_PAGE_OUT_DIR): Promise<string> {
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(pageDir, 'main.ts')],
    outfile: path.join(outDir, 'main.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    conditions: ['source'],
    sourcemap: true,
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(pageDir, 'index.html'), path.join(outDir, 'index.html'));
  return outDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildPlaceholderPage();
}
