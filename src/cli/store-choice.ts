import { chooseDatabase, type DatabaseChoice } from '../store/engines/database-url.ts';
import { databasePath } from '../store/open-database.ts';

type Environment = Record<string, string | undefined>;

/**
 * `--database` as `mp serve`, `mp import` and `mp doctor` all spell it. A password in the flag shows in the
 * process list to every user of the machine, so the help points at the variable for that.
 */
export const DATABASE_FLAG = '--database <url>';
export const DATABASE_FLAG_HELP =
  'keep the store on PostgreSQL at postgres://USER:PASSWORD@HOST:PORT/DATABASE (default MP_DATABASE_URL; ' +
  'neither: SQLite in the data dir). Arguments show in the process list: put a password in MP_DATABASE_URL';

/**
 * Where the store lives: the flag, else `MP_DATABASE_URL`, else SQLite in the data dir. Throws
 * DatabaseUrlError (one line saying what to write) for a URL that cannot be used.
 *
 * @example
 * chooseStore(undefined, { MP_DATABASE_URL: 'postgres://mp@127.0.0.1/mp' }) // { engine: 'postgres', … }
 */
export function chooseStore(flag: string | undefined, env: Environment = process.env): DatabaseChoice {
  return chooseDatabase({ flag, environment: env.MP_DATABASE_URL });
}

/**
 * The store in words for the startup line and `mp doctor`: the engine and where, with `***` for a password.
 *
 * @example
 * describeStore({ engine: 'sqlite' }, '/data') // 'SQLite at /data/modelprogrammer.db'
 */
export function describeStore(choice: DatabaseChoice, dataDir: string): string {
  return choice.engine === 'postgres'
    ? `PostgreSQL at ${choice.display}`
    : `SQLite at ${databasePath(dataDir)}`;
}
