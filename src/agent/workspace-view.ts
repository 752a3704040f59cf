/**
 * The workspace as the person sees it beside the conversation (issue 8 item 4): its tree one folder at a
 * time, a file read-only, and the Commit action into the workspace's own git repository (item 3). Reads are
 * confined like the model's file actions: nothing outside the resolved workspace, nothing under our data or
 * config dirs, symlinks listed but never followed out.
 */
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { WorkspaceFileDto, WorkspaceTreeDto } from '../core/api/workspace-schemas.ts';
import { InvalidRequestError, NotFoundError } from '../core/errors.ts';
import { resolveConfined } from '../workspace/confined-path.ts';
import { readWorkspaceFile } from '../workspace/workspace-files.ts';
import {
  type CommitAuthor,
  commitWork,
  diffForCommitMessage,
  isGitRepository,
} from '../workspace/workspace-repository.ts';

/** Entries one answer lists; a folder with more says so (`truncated`). */
const MAX_ENTRIES = 2000;
/** Lines of a file one answer sends. */
const MAX_LINES = 20_000;

export interface WorkspaceViewOptions {
  workspaceOf: (conversationId: string) => Promise<string>;
  /** Paths kept out of the view inside the workspace given (our data and config dirs…). */
  hiddenPaths: (workspace: string) => readonly string[];
}

export class WorkspaceView {
  readonly #options: WorkspaceViewOptions;

  constructor(options: WorkspaceViewOptions) {
    this.#options = options;
  }

  async tree(conversationId: string, dir = ''): Promise<WorkspaceTreeDto> {
    const root = await realpath(await this.#options.workspaceOf(conversationId));
    const folder = await this.#confinedFolder(root, dir);
    const names = await readdir(folder, { withFileTypes: true });
    const listed = names
      .filter((entry) => !this.#hidden(root, join(folder, entry.name)))
      .sort(
        (a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name, 'en'),
      );
    const entries: WorkspaceTreeDto['entries'] = [];
    for (const entry of listed.slice(0, MAX_ENTRIES)) {
      const full = join(folder, entry.name);
      const stats = await lstat(full).catch(() => null);
      entries.push({
        path: relative(root, full).split(sep).join('/'),
        name: entry.name,
        kind: entry.isDirectory()
          ? 'dir'
          : entry.isFile()
            ? 'file'
            : entry.isSymbolicLink()
              ? 'symlink'
              : 'other',
        size: stats?.size ?? 0,
      });
    }
    return {
      dir: relative(root, folder).split(sep).join('/'),
      entries,
      truncated: listed.length > MAX_ENTRIES,
    };
  }

  async file(conversationId: string, path: string): Promise<WorkspaceFileDto> {
    const root = await this.#options.workspaceOf(conversationId);
    const read = await readWorkspaceFile({ root, hiddenPaths: this.#options.hiddenPaths(root) }, path, {
      maxLines: MAX_LINES,
    });
    if (read.ok) {
      const content = read.lines.join('\n') + (read.lines.length > 0 ? '\n' : '');
      return {
        path: read.path,
        size: Buffer.byteLength(content),
        content,
        binary: false,
        truncated: read.endLine < read.lineCount,
      };
    }
    if (read.problem.kind === 'not_text') {
      const resolved = await resolveConfined({ root, hiddenPaths: this.#options.hiddenPaths(root) }, path);
      const stats = resolved.ok
        ? await lstat(join(resolved.value.realRoot, resolved.value.relative)).catch(() => null)
        : null;
      return { path, size: stats?.size ?? 0, content: null, binary: true, truncated: false };
    }
    if (read.problem.kind === 'not_found') throw new NotFoundError('file', path);
    throw new InvalidRequestError(read.text);
  }

  async isRepository(conversationId: string): Promise<boolean> {
    return isGitRepository(await this.#options.workspaceOf(conversationId));
  }

  /** Commits the worktree to the workspace's own repository (as `git add -A && git commit`). */
  async commit(
    conversationId: string,
    message: string,
    author: CommitAuthor,
  ): Promise<{ commit: string; summary: string }> {
    const workspace = await this.#options.workspaceOf(conversationId);
    if (!(await isGitRepository(workspace))) {
      throw new InvalidRequestError(
        `the workspace ${workspace} is not a git repository of its own (no .git in it); run \`git init\` there first`,
      );
    }
    const outcome = await commitWork(workspace, { message, author });
    if (!outcome.committed) throw new InvalidRequestError('nothing to commit: the worktree has no changes');
    return {
      commit: outcome.commit,
      summary: `${outcome.changedFiles} files changed, ${outcome.insertions} insertions(+), ${outcome.deletions} deletions(-)`,
    };
  }

  /** What a commit would hold now, as a diff text for drafting its message. */
  async pendingDiff(conversationId: string): Promise<{ text: string; files: string[] }> {
    const workspace = await this.#options.workspaceOf(conversationId);
    if (!(await isGitRepository(workspace))) {
      throw new InvalidRequestError(`the workspace ${workspace} is not a git repository of its own`);
    }
    const diff = await diffForCommitMessage(workspace);
    return { text: diff.text, files: diff.files.map((file) => file.path) };
  }

  /** The folder `dir` names, resolved, inside the workspace and not hidden; else a 400 saying why. */
  async #confinedFolder(root: string, dir: string): Promise<string> {
    const wanted = join(root, dir);
    const folder = await realpath(wanted).catch(() => {
      throw new NotFoundError('folder', dir);
    });
    if (folder !== root && !folder.startsWith(`${root}${sep}`)) {
      throw new InvalidRequestError(`${dir} leads outside the workspace`);
    }
    if (this.#hidden(root, folder)) throw new InvalidRequestError(`${dir} is hidden from the workspace view`);
    const stats = await lstat(folder);
    if (!stats.isDirectory()) throw new InvalidRequestError(`${dir} is not a folder`);
    return folder;
  }

  #hidden(root: string, path: string): boolean {
    return this.#options
      .hiddenPaths(root)
      .some((hidden) => path === hidden || path.startsWith(`${hidden}${sep}`));
  }
}
