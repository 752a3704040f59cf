/**
 * A path as a model wrote it, made relative to the workspace, by its words alone (issue 8, item 1). The
 * model sees the workspace where its sandbox shows it (bwrap and docker bind it at its resolved host path;
 * another backend could show it elsewhere), so an absolute path inside any of those names is accepted and
 * mapped; every other absolute path, `~`, and `..` climbing above the workspace are refused. Symlinks are the
 * I/O side's business (src/workspace/confined-path.ts): this only decides what the words say.
 */
import type { FileActionProblem } from './file-action-problem.ts';

export type RelativePathOutcome = { ok: true; relative: string } | { ok: false; problem: FileActionProblem };

/**
 * `roots` are the absolute names of the workspace: the host's and the sandbox's. `relative` is '' for the
 * workspace itself, else normalised with no `.` or `..` parts.
 *
 * @example
 * workspaceRelativePath('/workspace/src/a.ts', ['/home/me/p', '/workspace'])  // { ok: true, relative: 'src/a.ts' }
 * workspaceRelativePath('src/../../etc/passwd', ['/home/me/p'])
 * // { ok: false, problem: { kind: 'outside_workspace', reason: 'parent' } }
 */
export function workspaceRelativePath(path: string, roots: readonly string[]): RelativePathOutcome {
  const trimmed = path.trim();
  if (trimmed === '') return { ok: false, problem: { kind: 'invalid_path', reason: 'empty' } };
  if (trimmed.includes('\0')) return { ok: false, problem: { kind: 'invalid_path', reason: 'nul' } };
  if (trimmed === '~' || trimmed.startsWith('~/')) {
    return { ok: false, problem: { kind: 'outside_workspace', reason: 'home' } };
  }
  const parts = normalParts(trimmed);
  if (trimmed.startsWith('/')) {
    for (const root of roots) {
      const rootParts = normalParts(root);
      if (parts === null || rootParts === null) continue;
      if (rootParts.every((part, index) => parts[index] === part)) {
        return { ok: true, relative: parts.slice(rootParts.length).join('/') };
      }
    }
    return { ok: false, problem: { kind: 'outside_workspace', reason: 'absolute' } };
  }
  if (parts === null) return { ok: false, problem: { kind: 'outside_workspace', reason: 'parent' } };
  return { ok: true, relative: parts.join('/') };
}

/**
 * The path's parts with `.` and empty parts dropped and each `..` taking off the part before it; null when a
 * `..` would climb above the start. (Plain string work, no node:path: the web UI may import core.)
 */
function normalParts(path: string): string[] | null {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts;
}
