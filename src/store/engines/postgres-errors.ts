/**
 * Why a PostgreSQL store could not be opened, each with what to do about it (issue 10: "a clear error for an
 * unreachable server, wrong credentials, or a database in use by a newer version"). Messages name the
 * server and database, never the password. `classifyConnectError` turns the driver's error into one of them.
 */
import { AppError } from '../../core/errors.ts';
import type { PostgresLocation } from './database-url.ts';

type Where = Pick<PostgresLocation, 'host' | 'port' | 'database' | 'user'>;

/** `HOST:PORT`, or the socket folder for a unix socket. */
export function serverName(where: Pick<PostgresLocation, 'host' | 'port'>): string {
  if (where.host.startsWith('/')) return `the socket in ${where.host} (port ${where.port})`;
  return where.host.includes(':') ? `[${where.host}]:${where.port}` : `${where.host}:${where.port}`;
}

/** Nothing accepts connections where the URL points (refused, no such host, or no answer in time). */
export class PostgresUnreachableError extends AppError {
  readonly isRetryable = true;
  constructor(where: Where, options: { cause?: unknown } = {}) {
    super(
      'database_unreachable',
      `nothing answers at ${serverName(where)}; is PostgreSQL running? Start it (Debian: ` +
        'pg_ctlcluster <version> main start), or fix the host and port in --database / MP_DATABASE_URL',
      options,
    );
    this.name = 'PostgresUnreachableError';
  }
}

/** The server refused the user or password (or its pg_hba.conf does not let this user in from here). */
export class PostgresCredentialsError extends AppError {
  readonly isRetryable = false;
  constructor(where: Where, options: { cause?: unknown } = {}) {
    const user = where.user === undefined ? 'the default user' : `user "${where.user}"`;
    super(
      'database_credentials',
      `PostgreSQL at ${serverName(where)} refused ${user} for database "${where.database}": wrong or missing ` +
        'password, or pg_hba.conf does not admit this user from this host; fix USER:PASSWORD in --database / ' +
        'MP_DATABASE_URL (ALTER ROLE … PASSWORD sets one)',
      options,
    );
    this.name = 'PostgresCredentialsError';
  }
}

/** The server is there, the database is not. */
export class PostgresDatabaseMissingError extends AppError {
  readonly isRetryable = false;
  constructor(where: Where, options: { cause?: unknown } = {}) {
    const owner = where.user === undefined ? '' : ` OWNER "${where.user}"`;
    super(
      'database_missing',
      `there is no database "${where.database}" on ${serverName(where)}; create it ` +
        `(CREATE DATABASE "${where.database}"${owner};) or fix its name at the end of --database / MP_DATABASE_URL`,
      options,
    );
    this.name = 'PostgresDatabaseMissingError';
  }
}

/** The user may connect but not create the store's tables (PostgreSQL 15 no longer lets every user). */
export class PostgresPermissionError extends AppError {
  readonly isRetryable = false;
  constructor(where: Where, options: { cause?: unknown } = {}) {
    const user = where.user ?? 'this user';
    super(
      'database_permission',
      `user "${user}" may not create the store's tables in database "${where.database}" on ${serverName(where)}; ` +
        `make it the owner (ALTER DATABASE "${where.database}" OWNER TO "${user}";) or connect as the owner`,
      options,
    );
    this.name = 'PostgresPermissionError';
  }
}

/** A newer ModelProgrammer has migrated this database; writing to it could corrupt what that version keeps. */
export class PostgresSchemaTooNewError extends AppError {
  readonly isRetryable = false;
  readonly found: number;
  readonly supported: number;
  constructor(where: Where, found: number, supported: number) {
    super(
      'database_too_new',
      `database "${where.database}" on ${serverName(where)} has schema version ${found}, but this ` +
        `ModelProgrammer understands up to ${supported}; upgrade ModelProgrammer on every server that shares ` +
        'this database, or point --database at another database',
    );
    this.name = 'PostgresSchemaTooNewError';
    this.found = found;
    this.supported = supported;
  }
}

/** Any other failure to connect (TLS, a server too old, a protocol error), with the driver's reason. */
export class PostgresConnectionError extends AppError {
  readonly isRetryable = false;
  constructor(where: Where, reason: string, options: { cause?: unknown } = {}) {
    super('database_connection', `could not use PostgreSQL at ${serverName(where)}: ${reason}`, options);
    this.name = 'PostgresConnectionError';
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOENT',
]);

/**
 * The typed error for what the driver threw while connecting or migrating; an AppError passes through.
 * SQLSTATEs: 28P01 invalid_password, 28000 invalid_authorization_specification, 3D000 invalid_catalog_name,
 * 42501 insufficient_privilege.
 */
export function classifyConnectError(error: unknown, where: Where): AppError {
  if (error instanceof AppError) return error;
  const codes = errorCodes(error);
  const message = error instanceof Error ? error.message : String(error);
  if (codes.some((code) => UNREACHABLE.has(code)) || /connection timeout|timeout expired/i.test(message)) {
    return new PostgresUnreachableError(where, { cause: error });
  }
  if (codes.includes('28P01') || codes.includes('28000') || /password must be a string/.test(message)) {
    return new PostgresCredentialsError(where, { cause: error });
  }
  if (codes.includes('3D000')) return new PostgresDatabaseMissingError(where, { cause: error });
  if (codes.includes('42501')) return new PostgresPermissionError(where, { cause: error });
  return new PostgresConnectionError(where, message, { cause: error });
}

/** `code` of the error and, for a connection tried on several addresses (IPv4 and IPv6), of each attempt. */
function errorCodes(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const own = (error as { code?: unknown }).code;
  const codes = typeof own === 'string' ? [own] : [];
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner)) for (const each of inner) codes.push(...errorCodes(each));
  return codes;
}
