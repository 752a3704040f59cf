import { type KeyboardEvent, useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { Role } from '../../../src/core/accounts.ts';
import { type AccountListing, accountsApi } from '../api/accounts-api.ts';
import {
  isTeamServer,
  onTeamSessionChange,
  type SessionAccount,
  signedInAccount,
} from '../api/team-session.ts';

const ROLE_CHOICES: readonly Role[] = ['member', 'reviewer', 'admin'];

/**
 * The Settings page's Accounts section (issue 10 item 3): a team server's admin lists, adds, re-roles,
 * re-keys and removes accounts, as `mp user` does on the server. Nothing in token mode (one person, no
 * accounts) or for a member or reviewer. It sits inside the settings form but saves on its own, each action
 * at once, so Enter in its fields is kept from submitting the form.
 */
export function SettingsAccounts() {
  const me = useSyncExternalStore(onTeamSessionChange, signedInAccount);
  if (!isTeamServer() || me?.role !== 'admin') return null;
  return <AccountsSection me={me} />;
}

function AccountsSection(props: { me: SessionAccount }) {
  const [accounts, setAccounts] = useState<AccountListing[] | null>(null);
  const [status, setStatus] = useState<{ text: string; refused: boolean }>({ text: '', refused: false });

  const act = useCallback(async (action: () => Promise<string>) => {
    try {
      const text = await action();
      setAccounts(await accountsApi.list());
      setStatus({ text, refused: false });
      return true;
    } catch (error) {
      setStatus({ text: (error as Error).message, refused: true });
      return false;
    }
  }, []);

  useEffect(() => {
    void act(async () => '');
  }, [act]);

  const live = accounts?.filter((account) => account.removedAt === null) ?? [];
  const removed = accounts?.filter((account) => account.removedAt !== null) ?? [];
  return (
    <section className="settings-section" aria-labelledby="settings-accounts-title">
      <h2 id="settings-accounts-title" className="settings-section__title">
        Accounts
      </h2>
      <p className="settings-section__text">
        Who may sign in to this team server, and with which role. A new password or a removal ends that
        person’s sessions at once; a removed account’s name stays with what it did. A password has at least 10
        characters.
      </p>
      {accounts === null ? (
        <p className="settings-section__empty">{status.refused ? '' : 'Loading…'}</p>
      ) : (
        <table className="accounts-table">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {live.map((account) => (
              <AccountRow key={account.id} account={account} self={account.id === props.me.id} act={act} />
            ))}
          </tbody>
        </table>
      )}
      {removed.length > 0 ? (
        <p className="settings-section__text">
          Removed: {removed.map((account) => account.username).join(', ')}
        </p>
      ) : null}
      <NewAccount act={act} />
      <p className={`settings-page__status${status.refused ? ' is-refused' : ''}`} role="status">
        {status.text}
      </p>
    </section>
  );
}

type Act = (action: () => Promise<string>) => Promise<boolean>;

function AccountRow(props: { account: AccountListing; self: boolean; act: Act }) {
  const { account, act } = props;
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const setNewPassword = async () => {
    const done = await act(async () => {
      await accountsApi.change(account.id, { password });
      return `Set a new password for ${account.username}; their sessions ended.`;
    });
    if (done) {
      setResetting(false);
      setPassword('');
    }
  };
  return (
    <tr>
      <th scope="row">
        {account.username}
        {props.self ? <span className="accounts-table__you"> (you)</span> : null}
      </th>
      <td>
        <select
          className="accounts-table__field"
          aria-label={`Role of ${account.username}`}
          value={account.role}
          onChange={(event) => {
            const role = event.target.value as Role;
            void act(async () => {
              await accountsApi.change(account.id, { role });
              return `${account.username} is now ${role === 'admin' ? 'an admin' : `a ${role}`}.`;
            });
          }}
        >
          {ROLE_CHOICES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </td>
      <td>
        <div className="accounts-table__actions">
          {resetting ? (
            <>
              <input
                className="accounts-table__field"
                type="password"
                autoComplete="new-password"
                aria-label={`New password for ${account.username}`}
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                onKeyDown={onEnter(() => void setNewPassword())}
              />
              <button type="button" className="button" onClick={() => void setNewPassword()}>
                Set password
              </button>
              <button type="button" className="button button--ghost" onClick={() => setResetting(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="button" onClick={() => setResetting(true)}>
              Reset password<span className="visually-hidden"> of {account.username}</span>
            </button>
          )}
          {props.self ? null : (
            <button
              type="button"
              className="button button--danger"
              onClick={() => {
                if (
                  !window.confirm(
                    `Remove ${account.username}? They can no longer sign in and their sessions end; what they did keeps their name.`,
                  )
                )
                  return;
                void act(async () => {
                  await accountsApi.remove(account.id);
                  return `Removed ${account.username}.`;
                });
              }}
            >
              Remove<span className="visually-hidden"> {account.username}</span>
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

function NewAccount(props: { act: Act }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('member');
  const add = async () => {
    const done = await props.act(async () => {
      const account = await accountsApi.add({ username, password, role });
      return `Added ${account.username} (${account.role}).`;
    });
    if (done) {
      setUsername('');
      setPassword('');
    }
  };
  const submitOnEnter = onEnter(() => void add());
  return (
    <fieldset className="accounts-new">
      <legend className="settings-field__label">Add an account</legend>
      <label className="settings-field">
        <span>Username</span>
        <input
          autoComplete="off"
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          onKeyDown={submitOnEnter}
        />
      </label>
      <label className="settings-field">
        <span>Password</span>
        <input
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          onKeyDown={submitOnEnter}
        />
      </label>
      <label className="settings-field">
        <span>Role</span>
        <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {ROLE_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button button--primary" onClick={() => void add()}>
        Add account
      </button>
    </fieldset>
  );
}

/** Enter in these fields acts here instead of submitting the settings form they sit in. */
function onEnter(action: () => void) {
  return (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    action();
  };
}
