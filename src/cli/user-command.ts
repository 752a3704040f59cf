/**
 * `mp user`: the accounts of a team server (issue 10 item 3), managed where the store is, by whoever can reach
 * it (the data dir or the PostgreSQL URL), like `mp serve`. Passwords come from standard input, never from
 * arguments (src/cli/read-password.ts).
 */
import { type Command, InvalidArgumentError } from 'commander';
import { checkRole, checkUsername, passwordProblem } from '../core/account-rules.ts';
import type { Role } from '../core/accounts.ts';
import { AppError } from '../core/errors.ts';
import { hashPassword } from '../server/password-hash.ts';
import { Store } from '../store/store.ts';
import { resolveDataDir } from './paths.ts';
import { readPassword } from './read-password.ts';
import { chooseStore, DATABASE_FLAG, DATABASE_FLAG_HELP } from './store-choice.ts';

interface StoreFlags {
  dataDir?: string;
  database?: string;
}

const PASSWORD_HELP =
  'the password is read from standard input (first line), or typed twice with echo off at a terminal';

export function registerUserCommand(program: Command): void {
  const user = program
    .command('user')
    .description('manage the accounts of a team server (`mp serve --team`)');
  const withStore = (command: Command) =>
    command
      .option('--data-dir <dir>', 'where the database lives (default MP_DATA_DIR or the XDG data dir)')
      .option(DATABASE_FLAG, DATABASE_FLAG_HELP);

  withStore(
    user
      .command('add')
      .description(`add an account; ${PASSWORD_HELP}`)
      .argument('<name>', 'the username (a-z, 0-9, ".", "_", "-")', parseUsername)
      .requiredOption('--role <role>', 'admin, member or reviewer', parseRole),
  ).action(async (name: string, flags: StoreFlags & { role: Role }) => {
    const passwordHash = await hashPassword(await newPassword());
    await withOpenStore(flags, async (store) => {
      const account = await store.accounts.add({ username: name, role: flags.role, passwordHash });
      console.log(`added ${account.username} (${account.role})`);
    });
  });

  withStore(
    user
      .command('passwd')
      .description(`set an account's password and end its sessions; ${PASSWORD_HELP}`)
      .argument('<name>', 'the username', parseUsername),
  ).action(async (name: string, flags: StoreFlags) => {
    // Checked before asking: a typo in the name should not cost a typed password.
    await withOpenStore(flags, (store) => store.accounts.byUsername(name));
    const passwordHash = await hashPassword(await newPassword());
    await withOpenStore(flags, async (store) => {
      await store.accounts.setPasswordHash(name, passwordHash);
      console.log(`changed the password of ${name}; its sessions ended`);
    });
  });

  withStore(
    user
      .command('remove')
      .description('remove an account: its sessions end; what it did keeps its name')
      .argument('<name>', 'the username', parseUsername),
  ).action(async (name: string, flags: StoreFlags) => {
    await withOpenStore(flags, async (store) => {
      await store.accounts.remove(name);
      console.log(`removed ${name}; its sessions ended, and what it did keeps its name`);
    });
  });

  withStore(user.command('list').description('list the accounts, removed ones too')).action(
    async (flags: StoreFlags) => {
      await withOpenStore(flags, async (store) => {
        const accounts = await store.accounts.list();
        if (accounts.length === 0) {
          console.log('no accounts yet: add one with `mp user add NAME --role admin`');
          return;
        }
        const width = Math.max(8, ...accounts.map((account) => account.username.length));
        console.log(`${'USERNAME'.padEnd(width)}  ${'ROLE'.padEnd(8)}  CREATED                   REMOVED`);
        for (const account of accounts) {
          console.log(
            `${account.username.padEnd(width)}  ${account.role.padEnd(8)}  ${account.createdAt}  ${account.removedAt ?? '-'}`,
          );
        }
      });
    },
  );
}

async function withOpenStore<T>(flags: StoreFlags, action: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(chooseStore(flags.database), { dataDir: resolveDataDir(flags.dataDir) });
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

async function newPassword(): Promise<string> {
  const password = await readPassword();
  const problem = passwordProblem(password);
  if (problem !== null) throw new PasswordRefusedError(problem);
  return password;
}

class PasswordRefusedError extends AppError {
  constructor(problem: string) {
    super('password_refused', `${problem}; nothing was changed`);
    this.name = 'PasswordRefusedError';
  }
}

function parseUsername(value: string): string {
  const checked = checkUsername(value);
  if (!checked.ok) throw new InvalidArgumentError(checked.message);
  return checked.username;
}

function parseRole(value: string): Role {
  const checked = checkRole(value);
  if (!checked.ok) throw new InvalidArgumentError(checked.message);
  return checked.role;
}
