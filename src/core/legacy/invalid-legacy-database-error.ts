import { AppError } from '../errors.ts';

export type InvalidLegacyDatabaseReason =
  | 'not-found'
  | 'not-sqlite'
  | 'not-legacy'
  | 'unreadable'
  | 'bad-data';

/**
 * The file given to `mp import legacy` cannot be imported. Nothing was written: the file is read and checked
 * completely before the import touches the store.
 */
export class InvalidLegacyDatabaseError extends AppError {
  readonly reason: InvalidLegacyDatabaseReason;
  readonly path: string | undefined;

  constructor(
    reason: InvalidLegacyDatabaseReason,
    message: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super('invalid_legacy_database', message, { cause: options.cause });
    this.name = 'InvalidLegacyDatabaseError';
    this.reason = reason;
    this.path = options.path;
  }
}
