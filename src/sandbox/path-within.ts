import { isAbsolute, relative } from 'node:path';

/** Whether `path` is `folder` or lies under it (both absolute, already resolved). */
export function isWithin(path: string, folder: string): boolean {
  const fromFolder = relative(folder, path);
  return fromFolder === '' || (!fromFolder.startsWith('..') && !isAbsolute(fromFolder));
}
