/**
 * Single-use sign-in codes: what the URL a browser is opened with carries instead of the token (issue 7 item 2).
 *
 * The URL sits in the process list (the browser opener's argv) and in the browser's history, so what it carries
 * must be worthless soon: a code expires 60 s after it was made and works once. A code is
 * `EXPIRY.NONCE.MAC` with MAC = HMAC-SHA256(token, "mp-sign-in:EXPIRY.NONCE"), so it can be checked without
 * state and minted by anyone who can read the token file (`mp url`) without talking to the server; the server
 * only remembers the codes already used, each until it expires, which bounds that memory by what was minted in
 * the last minute.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a code is good for; also the most a code may claim, so nobody can mint one that lives longer. */
export const SIGN_IN_CODE_LIFETIME_MS = 60_000;

export type SignInCodeRefusal = 'invalid' | 'expired' | 'used';

export type SignInCodeCheck = { ok: true } | { ok: false; reason: SignInCodeRefusal };

/**
 * A fresh code for `token`, good for one sign-in within the next 60 s.
 *
 * @example
 * const url = `http://127.0.0.1:7878/#code=${mintSignInCode(token)}`;
 */
export function mintSignInCode(token: string, now: number = Date.now()): string {
  const expiry = (now + SIGN_IN_CODE_LIFETIME_MS).toString(36);
  const nonce = randomBytes(12).toString('base64url');
  return `${expiry}.${nonce}.${mac(token, expiry, nonce)}`;
}

/** Checks codes against the token and remembers the used ones until they expire. */
export class SignInCodes {
  readonly #token: string;
  readonly #now: () => number;
  /** code → its expiry (ms); pruned on every check. */
  readonly #used = new Map<string, number>();

  constructor(options: { token: string; now?: () => number }) {
    this.#token = options.token;
    this.#now = options.now ?? Date.now;
  }

  /** Verifies `code` and, when it is good, marks it used: the same code never succeeds twice. */
  redeem(code: string): SignInCodeCheck {
    const now = this.#now();
    for (const [usedCode, expiry] of this.#used) if (expiry <= now) this.#used.delete(usedCode);
    const parts = code.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'invalid' };
    const [expiryText, nonce, given] = parts as [string, string, string];
    if (!/^[0-9a-z]{1,12}$/.test(expiryText) || !/^[\w-]{8,64}$/.test(nonce)) {
      return { ok: false, reason: 'invalid' };
    }
    const expected = Buffer.from(mac(this.#token, expiryText, nonce));
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      return { ok: false, reason: 'invalid' };
    }
    const expiry = Number.parseInt(expiryText, 36);
    if (expiry > now + SIGN_IN_CODE_LIFETIME_MS) return { ok: false, reason: 'invalid' };
    if (expiry <= now) return { ok: false, reason: 'expired' };
    if (this.#used.has(code)) return { ok: false, reason: 'used' };
    this.#used.set(code, expiry);
    return { ok: true };
  }

  /** How many used codes are remembered (they are forgotten once expired). */
  get rememberedCount(): number {
    return this.#used.size;
  }
}

function mac(token: string, expiry: string, nonce: string): string {
  return createHmac('sha256', token).update(`mp-sign-in:${expiry}.${nonce}`).digest('base64url');
}
