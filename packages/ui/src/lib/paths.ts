/**
 * Path arithmetic on the '/'-separated paths the client hands the UI (it converts '\\' already).
 * Pure string work: the UI never touches a file system, it only names paths the runtime listed.
 */

/** Trim, use '/', drop trailing slashes (but keep a root: '/', 'C:/'). */
export function normalizeDirectory(input: string): string {
  const slashed = input.trim().replace(/\\/g, '/');
  if (slashed === '') return '';
  const stripped = slashed.replace(/\/+$/, '');
  if (stripped === '') return '/';
  if (/^[A-Za-z]:$/.test(stripped)) return `${stripped}/`;
  return stripped;
}

export function isRootPath(path: string): boolean {
  return path === '/' || /^[A-Za-z]:\/$/.test(path);
}

export function basename(path: string): string {
  if (isRootPath(path)) return path;
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The parent directory, or null for a root (or a bare name). */
export function dirname(path: string): string | null {
  const trimmed = normalizeDirectory(path);
  if (isRootPath(trimmed)) return null;
  const cut = trimmed.lastIndexOf('/');
  if (cut < 0) return null;
  if (cut === 0) return '/';
  const parent = trimmed.slice(0, cut);
  return /^[A-Za-z]:$/.test(parent) ? `${parent}/` : parent;
}

export function joinPath(directory: string, name: string): string {
  return directory.endsWith('/') ? `${directory}${name}` : `${directory}/${name}`;
}

/** True when `path` is `root` or lies below it, comparing whole components. */
export function isInside(path: string, root: string): boolean {
  if (path === root) return true;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix);
}

/** `path` relative to `root` ('' for the root itself), or null when it is not inside. */
export function relativeTo(root: string, path: string): string | null {
  if (!isInside(path, root)) return null;
  if (path === root) return '';
  return path.slice(root.endsWith('/') ? root.length : root.length + 1);
}

/** The directories strictly between `root` and `path`, outermost first, `root` included. */
export function ancestorsWithin(root: string, path: string): string[] {
  const relative = relativeTo(root, path);
  if (relative === null || relative === '') return [];
  const parts = relative.split('/');
  const result = [root];
  let current = root;
  for (const part of parts.slice(0, -1)) {
    current = joinPath(current, part);
    result.push(current);
  }
  return result;
}

export interface Crumb {
  name: string;
  path: string;
}

/** '/home/me/src' → '/', 'home', 'me', 'src' with the path each one stands for. */
export function breadcrumbs(path: string): Crumb[] {
  const normalized = normalizeDirectory(path);
  if (normalized === '') return [];
  const crumbs: Crumb[] = [];
  const drive = /^([A-Za-z]:)\//.exec(normalized);
  let current = drive ? `${drive[1]}/` : normalized.startsWith('/') ? '/' : '';
  if (current) crumbs.push({ name: current, path: current });
  const rest = normalized.slice(current.length);
  for (const part of rest.split('/').filter(Boolean)) {
    current = current ? joinPath(current, part) : part;
    crumbs.push({ name: part, path: current });
  }
  return crumbs;
}

/** '~/src/app' for a path under `home`, the path itself otherwise. */
export function displayPath(path: string, home: string | null): string {
  if (!home || isRootPath(home)) return path;
  const relative = relativeTo(home, path);
  if (relative === null) return path;
  return relative === '' ? '~' : `~/${relative}`;
}

/** Expand a leading '~' against `home`; other input is only normalised. */
export function expandHome(input: string, home: string | null): string {
  const value = input.trim();
  if (home && (value === '~' || value.startsWith('~/'))) return normalizeDirectory(home + value.slice(1));
  return normalizeDirectory(value);
}
