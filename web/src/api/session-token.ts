/**
 * How the page holds the instance token (issue 7 item 2, docs/api.md "Signing a page in").
 *
 * The token lives in this tab's sessionStorage and goes out only as `Authorization: Bearer` from this origin's
 * scripts. Not a cookie: browsers send a cookie for 127.0.0.1 to every port of it, so any local server the
 * person visits would receive it. sessionStorage rather than localStorage: both are per origin (scheme, host and
 * port), but a port is not ours for ever; once mp stops, any program may listen on it and its page would read
 * whatever this origin left on disk in localStorage, while sessionStorage ends with the tab. The cost, a new tab
 * not being signed in, is met by asking the tabs already open (a BroadcastChannel, also per origin).
 *
 * A page arrives with `#code=…` (the link `mp serve` or `mp url` printed): the code is removed from the address
 * bar at once and traded for the token; it works once and for 60 s, so the URL in history or in the opener's
 * argv is worthless soon after.
 *
 * A team server (`mp serve --team`) signs people in with accounts instead (team-session.ts): no token, a
 * session cookie the page never sees, and a CSRF token sent with each request.
 */
import { ErrorSchema } from '../../../src/core/api/schemas.ts';
import { SIGN_IN_CODE_ERRORS, SignInCodeAnswerSchema } from '../../../src/core/api/session-schemas.ts';
import { isTeamServer, probeTeamSession, teamHeaders } from './team-session.ts';

const STORAGE_KEY = 'mp.token';
const CHANNEL_NAME = 'mp.session';
/** How long a new tab waits for an open tab to hand it the token; only a tab that is not signed in waits. */
const HANDOFF_WAIT_MS = 1_500;

/** Why the page is not signed in, so the sign-in message can say what to do. */
export type SignInProblem =
  | 'no-token'
  | 'code-invalid'
  | 'code-expired'
  | 'code-used'
  | 'token-refused'
  /** A team server: sign in with an account (`session-ended`: the session ended while the page was open). */
  | 'team-sign-in'
  | 'session-ended';

export type SignInOutcome = { signedIn: true } | { signedIn: false; problem: SignInProblem };

export function storedToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(STORAGE_KEY, token);
}

/** After a 401: the token kept here is not the server's (it was given a new one). */
export function forgetToken(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The header every API request carries: the token, or on a team server the session's CSRF token. */
export function authorizationHeader(): Record<string, string> {
  if (isTeamServer()) return teamHeaders();
  const token = storedToken();
  return token === null ? {} : { Authorization: `Bearer ${token}` };
}

/**
 * Whether requests carry cookies: never in token mode (there is none, issue 7 item 2), always on a team server,
 * whose session is the cookie.
 */
export function requestCredentials(): RequestCredentials {
  return isTeamServer() ? 'same-origin' : 'omit';
}

/** Runs before the app renders: the code in the URL, else this tab's token, else one an open tab hands over. */
export async function signIn(): Promise<SignInOutcome> {
  const code = /^#code=([^&]+)/.exec(window.location.hash)?.[1];
  if (code !== undefined) {
    // Out of the address bar before anything else, so it is neither bookmarked nor shared by accident.
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
    const problem = await redeemCode(decodeURIComponent(code));
    if (problem === null || storedToken() !== null) return { signedIn: true };
    return { signedIn: false, problem };
  }
  if (storedToken() !== null) return { signedIn: true };
  // A team server answers who this browser is; a token-mode server answers 401 (it has no such route).
  const team = await probeTeamSession();
  if (team !== null) return team.signedIn ? { signedIn: true } : { signedIn: false, problem: 'team-sign-in' };
  const handed = await askOpenTabs();
  if (handed !== null) {
    saveToken(handed);
    return { signedIn: true };
  }
  return { signedIn: false, problem: 'no-token' };
}

/** Checks a pasted token against the server and keeps it when the server accepts it. */
export async function signInWithToken(token: string): Promise<boolean> {
  const response = await fetch('/api/conversations', {
    headers: { Accept: 'application/json', Authorization: `Bearer ${token.trim()}` },
    credentials: 'omit',
  });
  if (!response.ok) return false;
  saveToken(token.trim());
  return true;
}

/** Answers other tabs of this origin that open without a token, while this one is signed in. */
export function shareTokenWithNewTabs(): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.onmessage = (message: MessageEvent<unknown>) => {
    const token = storedToken();
    if (token !== null && isMessage(message.data, 'token-wanted')) {
      channel.postMessage({ type: 'token', token });
    }
  };
  return () => channel.close();
}

async function redeemCode(code: string): Promise<SignInProblem | null> {
  let response: Response;
  try {
    response = await fetch('/api/session/code', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'omit',
      body: JSON.stringify({ code }),
    });
  } catch {
    return 'code-invalid';
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = SignInCodeAnswerSchema.safeParse(body);
    if (!parsed.success) return 'code-invalid';
    saveToken(parsed.data.token);
    return null;
  }
  const error = ErrorSchema.safeParse(body);
  const errorCode = error.success ? error.data.error.code : '';
  if (errorCode === SIGN_IN_CODE_ERRORS.expired) return 'code-expired';
  if (errorCode === SIGN_IN_CODE_ERRORS.used) return 'code-used';
  return 'code-invalid';
}

function askOpenTabs(): Promise<string | null> {
  if (typeof BroadcastChannel === 'undefined') return Promise.resolve(null);
  const channel = new BroadcastChannel(CHANNEL_NAME);
  return new Promise((resolve) => {
    const finish = (token: string | null) => {
      clearTimeout(timer);
      channel.close();
      resolve(token);
    };
    const timer = setTimeout(() => finish(null), HANDOFF_WAIT_MS);
    channel.onmessage = (message: MessageEvent<unknown>) => {
      const data = message.data;
      if (isMessage(data, 'token') && typeof (data as { token?: unknown }).token === 'string') {
        finish((data as { token: string }).token);
      }
    };
    channel.postMessage({ type: 'token-wanted' });
  });
}

function isMessage(data: unknown, type: string): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === type;
}
