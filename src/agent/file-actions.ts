/**
 * Applies a conversation's file actions (issue 8 item 1) to its workspace, through the confined file
 * operations of src/workspace/workspace-files.ts, and reads the outcome like a command's: exit code 0 and the
 * text the model reads when it worked, 1 and the precise reason when it did not (which block did not match,
 * the closest lines, a path outside the workspace, a file changed since the model read it).
 *
 * "Changed since it was read": each read (and each write of our own) remembers the file's hash per
 * conversation and path; an edit or write of a file read before is refused when the file no longer has that
 * hash (a command, a person or another conversation changed it). Kept in memory: after a restart the first
 * change of each file is not checked.
 */
import type { FileAction } from '../core/api/terminal-schemas.ts';
import type { CommandResult } from '../core/shell-session.ts';
import { resolveConfined, type WorkspaceScope } from '../workspace/confined-path.ts';
import { editWorkspaceFile, readWorkspaceFile, writeWorkspaceFile } from '../workspace/workspace-files.ts';
import type { FileActionRunner } from './command-runs.ts';

export interface WorkspaceFileActionsOptions {
  /** Paths no action may read or write even inside the workspace given (our data and config dirs…). */
  hiddenPaths: (workspace: string) => readonly string[];
}

export class WorkspaceFileActions implements FileActionRunner {
  readonly #options: WorkspaceFileActionsOptions;
  /** `conversation \0 workspace-relative path` → the file's hash as the model last saw it. */
  readonly #seen = new Map<string, string>();

  constructor(options: WorkspaceFileActionsOptions) {
    this.#options = options;
  }

  async apply(input: {
    conversationId: string;
    workspace: string;
    action: FileAction;
  }): Promise<CommandResult> {
    const started = performance.now();
    const { conversationId, action } = input;
    const scope: WorkspaceScope = {
      root: input.workspace,
      hiddenPaths: this.#options.hiddenPaths(input.workspace),
    };
    const key = (relative: string) => `${conversationId}\0${relative}`;
    let outcome: { ok: boolean; text: string };
    if (action.tool === 'read_file') {
      const read = await readWorkspaceFile(scope, action.path, {
        ...(action.startLine === undefined ? {} : { startLine: action.startLine }),
        ...(action.endLine === undefined ? {} : { endLine: action.endLine }),
      });
      if (read.ok) this.#seen.set(key(read.path), read.contentHash);
      outcome = read;
    } else {
      const resolved = await resolveConfined(scope, action.path);
      const expectedHash = resolved.ok ? this.#seen.get(key(resolved.value.relative)) : undefined;
      const options = expectedHash === undefined ? {} : { expectedHash };
      const change =
        action.tool === 'write_file'
          ? await writeWorkspaceFile(scope, action.path, action.content, options)
          : await editWorkspaceFile(scope, action.path, action.edits, options);
      if (change.ok) this.#seen.set(key(change.path), change.contentHash);
      outcome = change;
    }
    return {
      exitCode: outcome.ok ? 0 : 1,
      output: outcome.text,
      truncated: false,
      outputBytes: Buffer.byteLength(outcome.text),
      cut: null,
      durationMs: Math.round(performance.now() - started),
      status: outcome.ok ? 'completed' : 'failed',
      cwd: '',
      shellRestarted: false,
    };
  }
}
