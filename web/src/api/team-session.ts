/**
 * How a page on a team server (`mp serve --team`, docs/team.md) holds its sign-in: the session itself is an
 * HttpOnly cookie the page never sees; the page keeps, in memory only, who is signed in and the session's CSRF
 * token, which it sends as `X-CSRF-Token` on every request (the server checks it on those that may change
 * state). A reload asks `GET /api/session` for both again, so nothing about the session sits in storage.
 */
import type { z } from 'zod';
import { ErrorSchema } from '../../../src/core/api/schemas.ts';
import {
  type SessionAccountSchema,
  SessionStateSchema,
  SignInAnswerSchema,
} from '../../../src/core/api/session-schemas.ts';

export type SessionAccount = z.infer<typeof SessionAccountSchema>;

interface TeamState {
  account: SessionAccount | null;
  csrfToken: string | null;
}

/** Null until the server said it is a team server; then who is signed in (account null: nobody). */
let team: TeamState | null = null;
const listeners = new Set<() => void>();

export function isTeamServer(): boolean {
  return team !== null;
}

export function signedInAccount(): SessionAccount | null {
  return team?.account ?? null;
}

/** Re-render hooks (the account shown in the sidebar) when the sign-in changes. */
export function onTeamSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Headers a team page adds to each request: its CSRF token, once signed in. */
export function teamHeaders(): Record<string, string> {
  return team?.csrfToken == null ? {} : { 'X-CSRF-Token': team.csrfToken };
}

/**
 * Asks the server who this browser is. `null`: not a team server (token mode has no such route and answers
 * 401 without the token); otherwise the page is on a team server, signed in or not.
 */
export async function probeTeamSession(): Promise<{ signedIn: boolean } | null> {
  let response: Response;
  try {
    response = await fetch('/api/session', {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
  } catch {
    return null;
  }
  if (!response.ok) return null;
  const parsed = SessionStateSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) return null;
  set({ account: parsed.data.account, csrfToken: parsed.data.csrfToken });
  return { signedIn: parsed.data.account !== null };
}

/** Signs in; the message to show when it fails (the server's own words: wrong name or password, too many). */
export async function signInWithPassword(username: string, password: string): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ username, password }),
    });
  } catch {
    return 'Cannot reach the ModelProgrammer server.';
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = SignInAnswerSchema.safeParse(body);
    if (!parsed.success) return 'The server answered the sign-in in an unexpected shape.';
    set({ account: parsed.data.account, csrfToken: parsed.data.csrfToken });
    return null;
  }
  const error = ErrorSchema.safeParse(body);
  return error.success ? sentence(error.data.error.message) : `The server answered ${response.status}.`;
}

/** Ends the session on the server (its row is deleted) and forgets it here. */
export async function signOut(): Promise<void> {
  try {
    await fetch('/api/session', {
      method: 'DELETE',
      headers: teamHeaders(),
      credentials: 'same-origin',
    });
  } finally {
    forgetTeamSession();
  }
}

/** After a 401: the session ended on the server (expired, signed out elsewhere, account removed). */
export function forgetTeamSession(): void {
  if (team !== null) set({ account: null, csrfToken: null });
}

function set(next: TeamState): void {
  team = next;
  for (const listener of listeners) listener();
}

function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return text.endsWith('.') ? text : `${text}.`;
}
