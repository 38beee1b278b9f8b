import path from 'node:path';

/**
 * True when `candidate` is `root` or lies inside it, compared by whole path components, so
 * `/root_evil` is not inside `/root`. Both must be absolute and normalised.
 */
export function isInsideRoot(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === '') return true;
  return !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
}

export function isInsideAnyRoot(candidate: string, roots: readonly string[]): boolean {
  return roots.some((root) => isInsideRoot(candidate, root));
}

export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;
}
