/**
 * The built UI: files under `staticDir`, `index.html` for `/`, and the reference's SPA fallback
 * (files-terminal-system.md §10). Paths are decoded once and must stay inside `staticDir`, also
 * after following symlinks.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentTypeOf } from '@chamber/runtime';

export const STATIC_MISSING_MESSAGE = 'Static files not found. Please build the application first.';

/**
 * The reference's SPA route: not under `/api`, and no asset-looking substring anywhere in the
 * path (substring, case-sensitive: `/foo.json` contains `.js` and is not a page).
 */
const ASSET_PATTERN = /\.(js|css|svg|png|jpg|jpeg|gif|ico|woff|woff2|ttf|eot|map)/;

export function isSpaPath(rawPath: string): boolean {
  return !rawPath.startsWith('/api') && !ASSET_PATTERN.test(rawPath);
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

async function statOrNull(file: string): Promise<fs.Stats | null> {
  try {
    return await fs.promises.stat(file);
  } catch {
    return null;
  }
}

export class StaticFiles {
  /** Canonical root, or null when there is no build to serve. */
  readonly #root: string | null;

  constructor(staticDir: string | undefined) {
    let root: string | null = null;
    if (staticDir) {
      try {
        root = fs.realpathSync(staticDir);
        if (!fs.statSync(root).isDirectory()) root = null;
      } catch {
        root = null;
      }
    }
    this.#root = root;
  }

  get available(): boolean {
    return this.#root !== null;
  }

  /**
   * Answer a GET/HEAD for a non-API path. Returns false when nothing matched, so the caller
   * answers its JSON 404. `rawPath` is the still-encoded path, known to decode cleanly.
   */
  async serve(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<boolean> {
    const root = this.#root;
    if (root === null) {
      const body = STATIC_MISSING_MESSAGE;
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    }
    const decoded = decodeURIComponent(rawPath);
    const segments = decoded.split('/');
    // Traversal and NUL are refused outright rather than falling back to the SPA page.
    if (decoded.includes('\0') || decoded.includes('\\') || segments.includes('..')) return false;
    // Dotfiles are never served (express.static's default), but may still get the SPA page.
    if (!segments.some((segment) => segment.startsWith('.'))) {
      const candidate = path.join(root, decoded);
      if (!isInside(root, candidate)) return false;
      const stats = await statOrNull(candidate);
      if (stats?.isDirectory()) {
        const index = path.join(candidate, 'index.html');
        if (await statOrNull(index)) {
          if (!rawPath.endsWith('/')) return redirect(req, res, `${rawPath}/`);
          if (await this.#sendFile(req, res, root, index)) return true;
        }
      } else if (stats?.isFile()) {
        if (await this.#sendFile(req, res, root, candidate)) return true;
      }
    }
    if (isSpaPath(rawPath)) return this.#sendFile(req, res, root, path.join(root, 'index.html'));
    return false;
  }

  async #sendFile(req: IncomingMessage, res: ServerResponse, root: string, file: string): Promise<boolean> {
    let real: string;
    try {
      real = await fs.promises.realpath(file);
    } catch {
      return false;
    }
    if (!isInside(root, real)) return false; // a symlink leading out of the build
    const stats = await statOrNull(real);
    if (!stats?.isFile()) return false;
    const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    const headers = {
      'Content-Type': contentTypeOf(real),
      'Cache-Control': 'public, max-age=0',
      'Last-Modified': stats.mtime.toUTCString(),
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'Content-Length': stats.size });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((resolve) => {
      const stream = fs.createReadStream(real);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
    return true;
  }
}

function redirect(req: IncomingMessage, res: ServerResponse, target: string): boolean {
  // One leading slash only: `//host/` would be a protocol-relative redirect to another site.
  const location = `/${target.replace(/^\/+/, '')}`;
  const query = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
  res.writeHead(301, { Location: location + query, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`Redirecting to ${location}`);
  return true;
}
