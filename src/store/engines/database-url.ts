/**
 * Which database the store runs on, from `mp serve --database URL` or `MP_DATABASE_URL` (issue 10): none
 * means SQLite in the data dir as before; a `postgres://` URL means a team server on PostgreSQL. Pure: the
 * edge (cli) reads the flag and the environment and passes both in.
 *
 * The password is kept out of everything printable: `display` and every error message show `***` in its
 * place, and a URL that does not parse is never echoed (it may hold a password in a place we cannot find).
 */
import { AppError } from '../../core/errors.ts';

export interface PostgresLocation {
  engine: 'postgres';
  /** A host name or address; for a unix socket, the folder holding it (`?host=/run/postgresql`). */
  host: string;
  port: number;
  database: string;
  /** Absent: the driver's default (the operating-system user), as libpq does. */
  user: string | undefined;
  password: string | undefined;
  /**
   * libpq's names, the subset we honour: `disable` (plain), `require` (encrypted, certificate not
   * checked), `verify-full` (encrypted, certificate and host name checked). Default `disable` on loopback and
   * unix sockets, `verify-full` elsewhere: a team server's database traffic should not cross a network in clear.
   */
  sslMode: SslMode;
  /** The URL with the password replaced by `***`, for logs and messages. */
  display: string;
}

export type SslMode = 'disable' | 'require' | 'verify-full';

export type DatabaseChoice = { engine: 'sqlite' } | PostgresLocation;

/** `--database` or `MP_DATABASE_URL` is not a PostgreSQL URL we can use; the message says what to write. */
export class DatabaseUrlError extends AppError {
  constructor(reason: string) {
    super(
      'invalid_database_url',
      `--database / MP_DATABASE_URL: ${reason}. Expected postgres://USER:PASSWORD@HOST:PORT/DATABASE ` +
        '(leave it out to keep the SQLite store in the data dir)',
      { field: 'database' },
    );
    this.name = 'DatabaseUrlError';
  }
}

const EMPTY_HOST = 'empty-host.invalid';
const SSL_MODES: readonly SslMode[] = ['disable', 'require', 'verify-full'];
const KNOWN_PARAMETERS = new Set(['sslmode', 'host']);

/**
 * The flag wins over the environment; an empty value counts as absent (an unset variable in a unit file).
 *
 * @example
 * chooseDatabase({ flag: undefined, environment: 'postgres://mp@db.lan/mp' }) // { engine: 'postgres', … }
 * chooseDatabase({ flag: undefined, environment: undefined }) // { engine: 'sqlite' }
 */
export function chooseDatabase(sources: {
  flag: string | undefined;
  environment: string | undefined;
}): DatabaseChoice {
  const value = nonEmpty(sources.flag) ?? nonEmpty(sources.environment);
  return value === undefined ? { engine: 'sqlite' } : parsePostgresUrl(value);
}

/** Parses and checks a `postgres://` (or `postgresql://`) URL; throws DatabaseUrlError saying what is wrong. */
export function parsePostgresUrl(text: string): PostgresLocation {
  // libpq takes `postgres://user:pw@/db?host=/run/postgresql` (no host: a socket); WHATWG URLs refuse
  // credentials without a host, so an empty one gets a stand-in that only ?host= may replace.
  const emptyHost = /^postgres(ql)?:\/\/[^/?#]*@(?=[/?#]|$)/i.exec(text.trim());
  const written =
    emptyHost === null
      ? text.trim()
      : `${emptyHost[0]}${EMPTY_HOST}${text.trim().slice(emptyHost[0].length)}`;
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    throw new DatabaseUrlError('this is not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    const scheme = /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) ? url.protocol.slice(0, -1) : 'this';
    throw new DatabaseUrlError(`the scheme must be postgres:// (not ${scheme})`);
  }
  for (const name of url.searchParams.keys()) {
    if (!KNOWN_PARAMETERS.has(name)) {
      throw new DatabaseUrlError(`unknown parameter "${name}" (known: ${[...KNOWN_PARAMETERS].join(', ')})`);
    }
  }
  const socketDir = nonEmpty(url.searchParams.get('host') ?? undefined);
  if (socketDir !== undefined && !socketDir.startsWith('/')) {
    throw new DatabaseUrlError('?host= names a unix socket folder and must be an absolute path');
  }
  const hostName = emptyHost === null ? unbracket(decode(url.hostname, 'host')) : '';
  const host = socketDir ?? hostName;
  if (host === '') throw new DatabaseUrlError('the host is missing');
  const port = url.port === '' ? 5432 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new DatabaseUrlError('the port is out of range');
  const database = decode(url.pathname.replace(/^\//, ''), 'database name');
  if (database === '') throw new DatabaseUrlError('the database name is missing (…/DATABASE at the end)');
  if (database.includes('/')) throw new DatabaseUrlError('the database name cannot contain "/"');
  const user = nonEmpty(decode(url.username, 'user name'));
  const password = nonEmpty(decode(url.password, 'password'));
  const sslMode = parseSslMode(url.searchParams.get('sslmode'), host);
  return { engine: 'postgres', host, port, database, user, password, sslMode, display: redact(url) };
}

/** Whether connections stay on this machine (loopback or a unix socket), where plain traffic is acceptable. */
export function isLocalHost(host: string): boolean {
  return host.startsWith('/') || host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function parseSslMode(value: string | null, host: string): SslMode {
  if (value === null) return isLocalHost(host) ? 'disable' : 'verify-full';
  if (!(SSL_MODES as readonly string[]).includes(value)) {
    throw new DatabaseUrlError(`sslmode must be one of ${SSL_MODES.join(', ')}`);
  }
  return value as SslMode;
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href.replace(`@${EMPTY_HOST}`, '@');
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new DatabaseUrlError(`the ${what} has a broken %-escape`);
  }
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
