/**
 * Opens the store on PostgreSQL (issue 10): a `pg` pool behind Kysely's PostgresDialect, checked and migrated
 * before it is handed out, so a bad URL, a stopped server, wrong credentials, a missing database or a schema
 * from a newer version fail at start with a typed error that says what to do (postgres-errors.ts), not at the
 * first request.
 *
 * Values read back as SQLite's do, so one query code path sees the same types on both engines: BIGINT
 * (and COUNT(*)) as a JavaScript number, TEXT timestamps as the strings written.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { PostgresLocation } from './database-url.ts';
import { classifyConnectError, PostgresConnectionError } from './postgres-errors.ts';
import { type MigrationResult, migratePostgres } from './postgres-migrate.ts';
import type { StoreTables } from './store-tables.ts';

/** The schema's triggers are declared with EXECUTE FUNCTION, new in PostgreSQL 11 (tested on 15). */
const MINIMUM_SERVER_VERSION = 110000;
const INT8_OID = 20;

export interface OpenPostgresOptions {
  /** Migrate up to this version only (tests build older databases with it). */
  targetVersion?: number;
  /** Pool size; the store's work is short transactions, a handful of connections serve a team. */
  maxConnections?: number;
  /** How long a connection attempt may take before the server counts as unreachable. */
  connectTimeoutMs?: number;
  /**
   * Told about an idle pooled connection that broke (a server restart): the pool drops it and the next
   * query opens another, so this is for logging only. Without a listener such an error would end the process.
   */
  onIdleError?: (error: Error) => void;
}

export interface PostgresEngine {
  readonly db: Kysely<StoreTables>;
  readonly location: PostgresLocation;
  readonly migration: MigrationResult;
  close(): Promise<void>;
}

/**
 * @example
 * const engine = await openPostgres(parsePostgresUrl(process.env.MP_DATABASE_URL));
 * const rows = await engine.db.selectFrom('conversations').selectAll().execute();
 * await engine.close();
 */
export async function openPostgres(
  location: PostgresLocation,
  options: OpenPostgresOptions = {},
): Promise<PostgresEngine> {
  const pool = new pg.Pool({
    host: location.host,
    port: location.port,
    user: location.user,
    password: location.password,
    database: location.database,
    ssl: sslOptions(location),
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'modelprogrammer',
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  const db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
  try {
    await checkServerVersion(db, location);
    const migration = await migratePostgres(db, location, options.targetVersion);
    return { db, location, migration, close: () => db.destroy() };
  } catch (error) {
    await db.destroy().catch(() => {});
    throw classifyConnectError(error, location);
  }
}

async function checkServerVersion(db: Kysely<StoreTables>, location: PostgresLocation): Promise<void> {
  const result = await sql<{
    version: number;
  }>`SELECT current_setting('server_version_num')::int AS version`.execute(db);
  const version = result.rows[0]?.version ?? 0;
  if (version < MINIMUM_SERVER_VERSION) {
    throw new PostgresConnectionError(
      location,
      `the server runs PostgreSQL ${Math.floor(version / 10000)}; the store needs 11 or newer`,
    );
  }
}

/** libpq's sslmode as pg's `ssl` option (also for postgres-process-link.ts's own connection). */
export function sslOptions(location: PostgresLocation): pg.PoolConfig['ssl'] {
  switch (location.sslMode) {
    case 'disable':
      return false;
    // libpq's `require`: encrypted, but the certificate is not checked (a self-signed server).
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

/** pg's parsers, except int8: a number (as SQLite gives), refusing one JavaScript cannot hold exactly. */
function typeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (oid === INT8_OID && format !== 'binary') return parseInt8;
  return pg.types.getTypeParser(oid, format);
}

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${text} does not fit a JavaScript number`);
  return value;
}
