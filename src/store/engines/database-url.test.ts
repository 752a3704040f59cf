import { describe, expect, it } from 'vitest';
import { chooseDatabase, DatabaseUrlError, isLocalHost, parsePostgresUrl } from './database-url.ts';

function failure(text: string): DatabaseUrlError {
  try {
    parsePostgresUrl(text);
  } catch (error) {
    if (error instanceof DatabaseUrlError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('chooseDatabase', () => {
  it('keeps SQLite in the data dir when neither the flag nor MP_DATABASE_URL is given (or both are empty)', () => {
    expect(chooseDatabase({ flag: undefined, environment: undefined })).toEqual({ engine: 'sqlite' });
    expect(chooseDatabase({ flag: '', environment: '  ' })).toEqual({ engine: 'sqlite' });
  });

  it('takes the flag over the environment', () => {
    const choice = chooseDatabase({ flag: 'postgres://a@flag/one', environment: 'postgres://b@env/two' });
    expect(choice).toMatchObject({ engine: 'postgres', host: 'flag', database: 'one', user: 'a' });
  });
});

describe('parsePostgresUrl', () => {
  it('reads every part, decoding %-escapes, with 5432 as the default port', () => {
    expect(parsePostgresUrl('postgresql://mp%40lab:p%3Ass%2Fw@db.example:6543/mp%20team')).toEqual({
      engine: 'postgres',
      host: 'db.example',
      port: 6543,
      database: 'mp team',
      user: 'mp@lab',
      password: 'p:ss/w',
      sslMode: 'verify-full',
      display: 'postgresql://mp%40lab:***@db.example:6543/mp%20team',
    });
    expect(parsePostgresUrl('postgres://127.0.0.1/mp')).toMatchObject({ port: 5432, user: undefined });
  });

  it('takes a unix socket folder from ?host=, also with no host before the path', () => {
    expect(parsePostgresUrl('postgres:///mp?host=/run/postgresql')).toMatchObject({
      host: '/run/postgresql',
      sslMode: 'disable',
    });
    const withCredentials = parsePostgresUrl('postgres://mp:secret@/mp?host=/run/postgresql');
    expect(withCredentials).toMatchObject({ host: '/run/postgresql', user: 'mp', password: 'secret' });
    expect(withCredentials.display).toBe('postgres://mp:***@/mp?host=/run/postgresql');
  });

  it('reads an IPv6 address without its brackets', () => {
    expect(parsePostgresUrl('postgres://[::1]:5433/mp')).toMatchObject({ host: '::1', port: 5433 });
  });

  it('encrypts by default beyond this machine, and honours an explicit sslmode', () => {
    expect(parsePostgresUrl('postgres://localhost/mp').sslMode).toBe('disable');
    expect(parsePostgresUrl('postgres://10.1.2.3/mp').sslMode).toBe('verify-full');
    expect(parsePostgresUrl('postgres://db.lan/mp?sslmode=require').sslMode).toBe('require');
    expect(failure('postgres://db.lan/mp?sslmode=prefer').message).toContain('sslmode must be one of');
  });

  it('says what is wrong, never echoing the password', () => {
    const cases: [string, string][] = [
      ['mysql://root:hunter2@db/mp', 'the scheme must be postgres:// (not mysql)'],
      ['postgres://root:hunter2@db', 'the database name is missing'],
      ['postgres://root:hunter2@db:99999/mp', 'this is not a URL'],
      ['postgres://root:hunter2@db/mp/extra', 'cannot contain "/"'],
      ['postgres://root:hunter2@db/mp?password=hunter2', 'unknown parameter "password"'],
      ['postgres://root:hunter2@/mp', 'the host is missing'],
      ['postgres://root:hunter2@db/mp?host=relative', 'must be an absolute path'],
      ['postgres://root:hunter2%zz@db/mp', 'the password has a broken %-escape'],
      ['not a url hunter2', 'this is not a URL'],
    ];
    for (const [text, reason] of cases) {
      const error = failure(text);
      expect(error.message).toContain(reason);
      expect(error.message).toContain('postgres://USER:PASSWORD@HOST:PORT/DATABASE');
      expect(error.message).not.toContain('hunter2');
      expect(error.code).toBe('invalid_database_url');
    }
  });
});

describe('isLocalHost', () => {
  it('counts loopback names and socket folders as local, anything else as remote', () => {
    for (const host of ['localhost', '127.0.0.1', '127.8.9.10', '::1', '/run/postgresql']) {
      expect(isLocalHost(host)).toBe(true);
    }
    for (const host of ['db.lan', '10.0.0.1', 'localhost.evil.example', '::2'])
      expect(isLocalHost(host)).toBe(false);
  });
});
