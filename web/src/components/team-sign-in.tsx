import { type FormEvent, useState } from 'react';
import { signInWithPassword } from '../api/team-session.ts';

/**
 * A team server's sign-in screen (`mp serve --team`): username and password, the server's answer shown as it
 * is (the same words for an unknown name and a wrong password). The password field is cleared after each try.
 */
export function TeamSignIn(props: { sessionEnded: boolean; onSignedIn: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    const refused = await signInWithPassword(username, password);
    setChecking(false);
    setPassword('');
    if (refused === null) props.onSignedIn();
    else setProblem(refused);
  };

  return (
    <main className="full-page-message team-sign-in">
      <h1>Sign in to ModelProgrammer</h1>
      {props.sessionEnded && problem === null ? (
        <p role="alert">
          Your session has ended (signed out, expired, or the account changed). Sign in again.
        </p>
      ) : null}
      <form onSubmit={submit} className="team-sign-in__form">
        <p>
          <label htmlFor="team-sign-in-username">Username</label>
          <input
            id="team-sign-in-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(event) => {
              setUsername(event.target.value);
              setProblem(null);
            }}
          />
        </p>
        <p>
          <label htmlFor="team-sign-in-password">Password</label>
          <input
            id="team-sign-in-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
              setProblem(null);
            }}
          />
        </p>
        {problem === null ? null : <p role="alert">{problem}</p>}
        <p>
          <button
            type="submit"
            className="button"
            disabled={checking || username.trim() === '' || password === ''}
          >
            {checking ? 'Signing in…' : 'Sign in'}
          </button>
        </p>
      </form>
      <p className="team-sign-in__hint">
        No account yet? An admin adds one on the server with <code>mp user add NAME --role member</code>.
      </p>
    </main>
  );
}
