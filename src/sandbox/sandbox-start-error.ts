import { AppError } from '../core/errors.ts';
import type { SandboxKind } from '../core/shell-session.ts';

/**
 * The sandbox could not give us a shell at all (bwrap missing or refused by the kernel, no Docker
 * engine, an image that is not there). No command ran, so this is an error and not a CommandResult.
 */
export class SandboxStartError extends AppError {
  readonly sandbox: SandboxKind;
  constructor(sandbox: SandboxKind, message: string, options: { cause?: unknown } = {}) {
    super('sandbox_start_failed', message, options);
    this.name = 'SandboxStartError';
    this.sandbox = sandbox;
  }
}
