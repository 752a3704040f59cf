import { type FormEvent, useState } from 'react';
import { type SignInProblem, signInWithToken } from '../api/session-token.ts';

const WHY: Record<SignInProblem, string | null> = {
  'no-token': null,
  'code-expired': 'This sign-in link has expired: a link works for 60 seconds.',
  'code-used': 'This sign-in link was used already: a link works once.',
  'code-invalid': 'This sign-in link is not valid for this server.',
  'token-refused': 'The server refused this tab’s token (it may have been given a new one).',
  // A team server shows its own sign-in screen (team-sign-in.tsx) for these.
  'team-sign-in': null,
  'session-ended': null,
};

/**
 * Shown instead of the app when the page is not signed in: says why (an expired or used link, a refused token)
 * and offers both ways in, a fresh link from `mp url` or the token pasted from the data dir.
 */
export function AuthRequired(props: { problem: SignInProblem; onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [refused, setRefused] = useState(false);
  const [checking, setChecking] = useState(false);
  const why = WHY[props.problem];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    const accepted = await signInWithToken(token).catch(() => false);
    setChecking(false);
    if (accepted) props.onSignedIn();
    else setRefused(true);
  };

  return (
    <main className="full-page-message">
      <h1>ModelProgrammer needs its access link</h1>
      {why === null ? null : <p role="alert">{why}</p>}
      <p>
        Open the link that <code>mp serve</code> printed (it carries the access token). A link signs in once,
        within 60 seconds; <code>mp url</code> prints a fresh one for the running server (
        <code>mp url --open</code> opens it).
      </p>
      <form onSubmit={submit}>
        <p>
          <label>
            Or paste the token from the file <code>token</code> in the data directory (
            <code>~/.local/share/modelprogrammer/token</code> unless <code>MP_DATA_DIR</code> says otherwise):{' '}
            <input
              type="password"
              autoComplete="off"
              value={token}
              onChange={(event) => {
                setToken(event.target.value);
                setRefused(false);
              }}
            />
          </label>{' '}
          <button type="submit" className="button" disabled={checking || token.trim() === ''}>
            Sign in
          </button>
        </p>
        {refused ? <p role="alert">The server refused that token.</p> : null}
      </form>
    </main>
  );
}
