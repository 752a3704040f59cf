/**
 * Other names of a folder through bind mounts (issue 7, item 4). realpath sees symlinks but not bind mounts:
 * with the home bind-mounted at /mnt/h, `/mnt/h` resolves to itself and would pass the workspace rules while
 * showing everything the home holds. /proc/self/mountinfo says, for each mount, which folder of which file
 * system it shows (`root`) and where (`mountPoint`), so every other place that shows the same folder can be
 * found and judged too.
 */
import { readFileSync } from 'node:fs';

export interface MountEntry {
  /** `major:minor` of the file system. */
  device: string;
  /** The folder of that file system this mount shows. */
  root: string;
  mountPoint: string;
}

/** mountinfo escapes space, tab, newline and backslash as `\ooo`. */
function unescapeField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_match, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}

/** The entries of a /proc/PID/mountinfo text, in mount order (a later mount covers an earlier one). */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields.length < 5) continue;
    entries.push({
      device: fields[2] ?? '',
      root: unescapeField(fields[3] ?? ''),
      mountPoint: unescapeField(fields[4] ?? ''),
    });
  }
  return entries;
}

function within(path: string, folder: string): boolean {
  return path === folder || folder === '/' || path.startsWith(`${folder}/`);
}

/** `path` below `folder` as `/a/b`, or '' when they are the same. */
function below(path: string, folder: string): string {
  if (path === folder) return '';
  return folder === '/' ? path : path.slice(folder.length);
}

function joinRest(folder: string, rest: string): string {
  if (rest === '') return folder;
  return folder === '/' ? rest : `${folder}${rest}`;
}

/**
 * Every other path that shows the same folder as `path` (resolved, absolute) through another mount of the
 * same file system. Pure.
 *
 * @example
 * // `/mnt/h` is a bind mount of /home/me (on the file system mounted at /):
 * mountAliases('/mnt/h/p', parseMountInfo('27 1 254:0 / / rw - ext4 /dev/vda rw\n40 27 254:0 /home/me /mnt/h rw - ext4 /dev/vda rw'));
 * // ['/home/me/p']
 */
export function mountAliases(path: string, entries: readonly MountEntry[]): string[] {
  // The mount that shows `path`: the last one whose mount point holds it (later mounts cover earlier ones).
  let mount: MountEntry | undefined;
  for (const entry of entries) {
    if (
      within(path, entry.mountPoint) &&
      (mount === undefined || entry.mountPoint.length >= mount.mountPoint.length)
    ) {
      mount = entry;
    }
  }
  if (mount === undefined) return [];
  const inFileSystem = joinRest(mount.root, below(path, mount.mountPoint));
  const aliases = new Set<string>();
  for (const entry of entries) {
    if (entry.device !== mount.device || !within(inFileSystem, entry.root)) continue;
    const alias = joinRest(entry.mountPoint, below(inFileSystem, entry.root));
    if (alias !== path) aliases.add(alias);
  }
  return [...aliases];
}

/** This process's mounts; none when /proc is not there (then only symlinks are resolved). */
export function readMounts(): MountEntry[] {
  try {
    return parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  } catch {
    return [];
  }
}
