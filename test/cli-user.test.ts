/**
 * `mp user` (issue 10 item 3): accounts are added, re-keyed, removed and listed from the command line, on
 * the store `mp serve` would use (the data dir's SQLite, or PostgreSQL by --database / MP_DATABASE_URL). The
 * password comes from standard input, never from the arguments, and is never printed; a short or empty one
 * is refused with the reason and changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/server/password-hash.ts';
import type { PostgresLocation } from '../src/store/engines/database-url.ts';
import { Store } from '../src/store/store.ts';
import { isolatedEnvironment } from './support/environment.ts';
import { usePostgres } from './support/postgres.ts';
import { runCli } from './support/spawn-server.ts';
import { ENGINE_KINDS, postgresTestsReady } from './support/store-engines.ts';
import { makeTempDir } from './support/temp-dir.ts';

const PASSWORD = 'correct horse battery staple';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `mp ARGS` with `stdin` written to its standard input. */
function mp(args: string[], stdin: string, env: Record<string, string | undefined>) {
  return runCli(args, env, stdin);
}

interface Target {
  /** `mp user …` arguments and environment that reach this store. */
  run(args: string[], stdin?: string): ReturnType<typeof mp>;
  open(): Promise<Store>;
}

function urlOf(location: PostgresLocation): string {
  const { user, password, host, port, database } = location;
  return `postgres://${user}:${encodeURIComponent(password ?? '')}@${host}:${port}/${database}`;
}

for (const kind of ENGINE_KINDS) {
  const skip = kind === 'postgres' && !postgresTestsReady();
  describe.skipIf(skip)(`mp user [${kind}]`, () => {
    // biome-ignore lint/correctness/useHookAtTopLevel: a vitest lifecycle helper, not a React hook; it runs once per describe.
    const server = kind === 'postgres' ? usePostgres() : undefined;

    async function target(): Promise<Target> {
      const dir = makeTempDir('mp-cli-user-');
      cleanups.push(dir.remove);
      const env = isolatedEnvironment(dir.path);
      if (server === undefined) {
        return {
          run: (args, stdin = '') => mp(['user', ...args, '--data-dir', dir.path], stdin, env),
          open: () => Store.open({ engine: 'sqlite' }, { dataDir: dir.path }),
        };
      }
      const location = await server().createDatabase();
      // The URL in the environment, as a person keeps a password out of the process list.
      const withUrl = { ...env, MP_DATABASE_URL: urlOf(location) };
      return {
        run: (args, stdin = '') => mp(['user', ...args, '--data-dir', dir.path], stdin, withUrl),
        open: () => Store.open(location),
      };
    }

    async function withStore<T>(at: Target, action: (store: Store) => Promise<T>): Promise<T> {
      const store = await at.open();
      try {
        return await action(store);
      } finally {
        await store.close();
      }
    }

    it('adds an account with the password from standard input, and never prints the password', async () => {
      const at = await target();
      const added = await at.run(['add', 'Alice', '--role', 'member'], `${PASSWORD}\n`);
      expect(added).toMatchObject({ code: 0, stdout: 'added alice (member)\n', stderr: '' });
      const listed = await at.run(['list']);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^USERNAME +ROLE +CREATED +REMOVED\nalice +member +\S+ +-\n$/);
      await withStore(at, async (store) => {
        const credentials = await store.accounts.credentials('alice');
        expect(credentials?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
        expect(await verifyPassword(PASSWORD, credentials?.passwordHash ?? '')).toBe(true);
      });
      for (const output of [added.stdout, added.stderr, listed.stdout]) expect(output).not.toContain('horse');
    });

    it('refuses an empty or short password with the reason, and adds nothing', async () => {
      const at = await target();
      const empty = await at.run(['add', 'bob', '--role', 'admin'], '\n');
      expect(empty.code).toBe(1);
      expect(empty.stderr).toBe('mp: the password is empty; nothing was changed\n');
      const nothing = await at.run(['add', 'bob', '--role', 'admin'], '');
      expect(nothing.stderr).toBe('mp: the password is empty; nothing was changed\n');
      const short = await at.run(['add', 'bob', '--role', 'admin'], 'hunter2\n');
      expect(short.code).toBe(1);
      expect(short.stderr).toBe(
        'mp: the password is too short (7 characters): use at least 10, a few words make a good one; nothing was changed\n',
      );
      expect(short.stderr).not.toContain('hunter2');
      expect((await at.run(['list'])).stdout).toBe(
        'no accounts yet: add one with `mp user add NAME --role admin`\n',
      );
    });

    it('refuses an unknown role and a name that is not one, before asking for a password', async () => {
      const at = await target();
      const role = await at.run(['add', 'bob', '--role', 'boss'], `${PASSWORD}\n`);
      expect(role.code).toBe(1);
      expect(role.stderr).toContain('the role must be one of admin, member, reviewer; not "boss"');
      const name = await at.run(['add', 'bob smith', '--role', 'member'], `${PASSWORD}\n`);
      expect(name.code).toBe(1);
      expect(name.stderr).toContain('a username is 1 to 64 of a-z, 0-9');
    });

    it('`passwd` sets a new password and ends the account’s sessions', async () => {
      const at = await target();
      await at.run(['add', 'alice', '--role', 'reviewer'], `${PASSWORD}\n`);
      const accountId = await withStore(at, async (store) => {
        const account = await store.accounts.byUsername('alice');
        await store.accountSessions.create({
          id: 'a'.repeat(64),
          accountId: account.id,
          csrfToken: 'csrf',
          createdAt: account.createdAt,
          expiresAt: '2999-01-01T00:00:00.000Z',
          lastUsedAt: account.createdAt,
        });
        return account.id;
      });
      const changed = await at.run(['passwd', 'alice'], 'a brand new passphrase\n');
      expect(changed).toMatchObject({
        code: 0,
        stdout: 'changed the password of alice; its sessions ended\n',
      });
      await withStore(at, async (store) => {
        const hash = (await store.accounts.credentials('alice'))?.passwordHash ?? '';
        expect(await verifyPassword('a brand new passphrase', hash)).toBe(true);
        expect(await verifyPassword(PASSWORD, hash)).toBe(false);
        expect(await store.accountSessions.countFor(accountId)).toBe(0);
      });
      const unknown = await at.run(['passwd', 'carol'], 'a brand new passphrase\n');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe('mp: no account named carol (`mp user list` shows them)\n');
    });

    it('`remove` tombstones the account: listed as removed, its name not given to another', async () => {
      const at = await target();
      await at.run(['add', 'alice', '--role', 'member'], `${PASSWORD}\n`);
      const removed = await at.run(['remove', 'alice']);
      expect(removed).toMatchObject({ code: 0, stderr: '' });
      expect((await at.run(['list'])).stdout).toMatch(/\nalice +member +\S+ +\d{4}-\d\d-\d\dT\S+\n$/);
      const again = await at.run(['add', 'alice', '--role', 'member'], `${PASSWORD}\n`);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(
        /^mp: alice was an account removed on .*; its name stays with what it did/,
      );
      await withStore(at, async (store) => expect(await store.accounts.credentials('alice')).toBeUndefined());
    });
  });
}
