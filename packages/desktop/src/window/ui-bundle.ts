/**
 * The UI bundle directory the window shows (any static build: an `index.html` and its assets).
 * A request path is served only if it names a file inside the directory after decoding and after
 * resolving symlinks; anything else is refused, whatever the encoding tricks.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { contentTypeOf } from '@chamber/runtime';

export interface BundleAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/** Largest file served (a DevTools message carries it whole, base64-encoded). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

function text(status: number, message: string): BundleAnswer {
  return { status, contentType: 'text/plain; charset=utf-8', body: Buffer.from(message) };
}

function isInside(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
}

export class UiBundle {
  /** The directory as given (for messages) and canonicalised (for containment checks). */
  readonly dir: string;
  readonly #realDir: string;

  private constructor(dir: string, realDir: string) {
    this.dir = dir;
    this.#realDir = realDir;
  }

  static async open(dir: string): Promise<UiBundle> {
    const resolved = path.resolve(dir);
    const realDir = await fs.realpath(resolved).catch(() => {
      throw new Error(`UI bundle directory not found: ${resolved}`);
    });
    if (!(await fs.stat(path.join(realDir, 'index.html')).catch(() => null))?.isFile()) {
      throw new Error(`UI bundle directory has no index.html: ${resolved}`);
    }
    return new UiBundle(resolved, realDir);
  }

  /** Answer a GET for `pathname` (the URL's raw, still percent-encoded path). */
  async read(pathname: string): Promise<BundleAnswer> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return text(400, 'Malformed URL encoding');
    }
    if (decoded.includes('\0')) return text(400, 'Invalid path');
    const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
    if (segments.some((segment) => segment === '..' || segment.includes('\\')))
      return text(403, 'Outside the UI bundle');

    let file = path.join(this.#realDir, ...segments);
    let real = await this.#realInside(file);
    if (real === 'outside') return text(403, 'Outside the UI bundle');
    if (real !== undefined && (await fs.stat(real)).isDirectory()) {
      file = path.join(file, 'index.html');
      real = await this.#realInside(file);
      if (real === 'outside') return text(403, 'Outside the UI bundle');
    }
    if (real === undefined) {
      // A client-side route (no file extension) gets the app shell; a missing asset is a 404.
      const last = segments.at(-1) ?? '';
      if (path.extname(last) !== '') return text(404, 'Not found');
      file = path.join(this.#realDir, 'index.html');
      real = file;
    }
    const stat = await fs.stat(real);
    if (!stat.isFile()) return text(404, 'Not found');
    if (stat.size > MAX_FILE_BYTES) return text(413, 'File too large');
    return { status: 200, contentType: contentTypeOf(file), body: await fs.readFile(real) };
  }

  /** The canonical path if it exists inside the bundle, 'outside' if it escapes, undefined if missing. */
  async #realInside(file: string): Promise<string | 'outside' | undefined> {
    let real: string;
    try {
      real = await fs.realpath(file);
    } catch {
      return undefined;
    }
    return isInside(real, this.#realDir) ? real : 'outside';
  }
}
