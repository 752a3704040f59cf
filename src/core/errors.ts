/**
 * Errors a caller can act on. Each has a stable `code`; the server's one error boundary maps them to HTTP.
 * Expected outcomes (a failed command, a refused proposal) are values, not errors (STYLE.md habit 3).
 */
export class AppError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  constructor(code: string, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
  }
}

/** An id that names nothing (or a tombstoned thing the action cannot apply to). */
export class NotFoundError extends AppError {
  constructor(kind: string, id: string) {
    super('not_found', `no ${kind} with id ${id}`);
    this.name = 'NotFoundError';
  }
}

/** Input that is well-formed but cannot be applied as given. */
export class InvalidRequestError extends AppError {
  constructor(message: string, field?: string) {
    super('invalid_request', message, field === undefined ? {} : { field });
    this.name = 'InvalidRequestError';
  }
}

/** The state does not allow the action (a tombstoned conversation, a message from elsewhere as parent). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message);
    this.name = 'ConflictError';
  }
}

/** A workspace the rules refuse (src/core/workspace-rules.ts): the message says why and what to choose. */
export class WorkspaceRefusedError extends InvalidRequestError {
  readonly workspace: string;
  constructor(workspace: string, reason: string) {
    super(`This workspace is refused: ${reason}.`, 'workspace');
    this.name = 'WorkspaceRefusedError';
    this.workspace = workspace;
  }
}

/** A workspace with more files than a checkpoint takes (src/workspace/checkpoint-limits.ts): nothing was written. */
export class WorkspaceTooLargeError extends ConflictError {
  readonly fileCount: number;
  readonly maxFiles: number;
  constructor(fileCount: number, maxFiles: number) {
    super(
      `This workspace has ${fileCount} files to checkpoint, more than the limit of ${maxFiles}: ` +
        'add the folders that need no undo (dependencies, build output, data) to a .gitignore, or raise the limit.',
    );
    this.name = 'WorkspaceTooLargeError';
    this.fileCount = fileCount;
    this.maxFiles = maxFiles;
  }
}

/** The workspace's files changed while a checkpoint was being restored: nothing was restored. */
export class WorkspaceChangedError extends ConflictError {
  constructor(detail: string) {
    super(`The workspace changed while it was being restored (${detail}); nothing was restored. Try again.`);
    this.name = 'WorkspaceChangedError';
  }
}

/** git itself failed in a way no caller can repair (a broken repository, a full disk): its own words included. */
export class GitFailedError extends AppError {
  readonly args: readonly string[];
  readonly stderr: string;
  constructor(args: readonly string[], stderr: string, exitCode: number | null) {
    const words = stderr.trim() === '' ? `exit code ${exitCode ?? 'none (killed)'}` : stderr.trim();
    super('git_failed', `git ${args[0] ?? ''} failed: ${words}`);
    this.name = 'GitFailedError';
    this.args = args;
    this.stderr = stderr;
  }
}
