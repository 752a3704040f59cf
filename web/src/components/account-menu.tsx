import { useState, useSyncExternalStore } from 'react';
import { onTeamSessionChange, signedInAccount, signOut } from '../api/team-session.ts';

/**
 * Who is signed in on a team server, and Sign out; nothing in token mode (one person, no accounts). Signing
 * out ends the session on the server; the app then shows the sign-in screen (it follows the same state).
 */
export function AccountMenu() {
  const account = useSyncExternalStore(onTeamSessionChange, signedInAccount);
  const [leaving, setLeaving] = useState(false);
  if (account === null) return null;
  return (
    <div className="account-menu">
      <span className="account-menu__who">
        Signed in as <strong>{account.username}</strong>{' '}
        <span className="account-menu__role">({account.role})</span>
      </span>
      <button
        type="button"
        className="button button--ghost account-menu__sign-out"
        disabled={leaving}
        onClick={() => {
          setLeaving(true);
          void signOut().finally(() => setLeaving(false));
        }}
      >
        Sign out
      </button>
    </div>
  );
}
