/**
 * Who a request on a team server is (`mp serve --team`, issue 10 item 3): signing in with a username and
 * password, the session cookie, its expiry, and the CSRF token that unsafe requests must carry.
 *
 * - The cookie holds 32 random bytes; the store keeps only their SHA-256 (account-sessions.ts), so a copy
 *   of the database or a backup signs no one in. The cookie is HttpOnly (no script reads it), SameSite=Strict
 *   (no other site's page makes the browser send it) and Path=/; served over TLS it is also Secure and named
 *   `__Host-mp_session`, which browsers accept only with Secure, Path=/ and no Domain, so a neighbouring
 *   subdomain cannot plant one.
 * - A session ends after `idleMs` without a request, or `absoluteMs` after sign-in whatever happens
 *   (docs/team.md says the values); signing out, a new password and removing the account end it at once.
 * - CSRF: a request that may change state and carries a valid session must send `X-CSRF-Token` equal to the
 *   session's token, which the page got from the sign-in answer (a page on another site cannot read it). This
 *   stands beside SameSite and the Origin check (security.ts), so no single browser behaviour is relied on.
 * - A wrong username and a wrong password get the same answer in the same time (a decoy hash is verified for
 *   unknown names), and failures are counted per username and per client address (keyed-attempt-limit.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Account } from '../core/accounts.ts';
import type { AccountSession } from '../store/account-sessions.ts';
import type { Store } from '../store/store.ts';
import { HttpError } from './http-errors.ts';
import { KeyedAttemptLimit } from './keyed-attempt-limit.ts';
import { decoyHash, verifyPassword } from './password-hash.ts';

export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** A session's last use is written at most this often: a write per request would cost a commit each. */
const TOUCH_EVERY_MS = 60_000;
/** Expired rows are swept at most this often, on a sign-in. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Failed sign-ins allowed per window: per username, and (more, a lab may share one address) per address. */
const FAILURES_PER_USERNAME = 10;
const FAILURES_PER_ADDRESS = 50;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;

export const CSRF_HEADER = 'x-csrf-token';

const WRONG_CREDENTIALS = 'wrong username or password';

export interface TeamSessionsOptions {
  store: Pick<Store, 'accounts' | 'accountSessions'>;
  /** Served over TLS (here or at a proxy in front): the cookie is Secure and `__Host-` prefixed. */
  secureCookie: boolean;
  idleMs?: number;
  absoluteMs?: number;
  now?: () => number;
  /** How often an open live-event stream checks that its session is still live (default 60 s). */
  recheckMs?: number;
}

/** A request's signed-in session, as the auth hook found it. */
export interface SignedIn {
  account: Account;
  session: AccountSession;
}

/** 429: this username or address failed too often; says when to try again (the route sets Retry-After). */
export class SignInThrottledError extends HttpError {
  readonly retryAfterSeconds: number;
  constructor(seconds: number) {
    super(
      429,
      'too_many_attempts',
      `too many failed sign-ins for this username or from this address; try again in ${seconds} s`,
    );
    this.name = 'SignInThrottledError';
    this.retryAfterSeconds = seconds;
  }
}

export class TeamSessions {
  readonly cookieName: string;
  readonly #store: TeamSessionsOptions['store'];
  readonly #secure: boolean;
  readonly #idleMs: number;
  readonly #absoluteMs: number;
  readonly #now: () => number;
  readonly #recheckMs: number;
  readonly #byUsername: KeyedAttemptLimit;
  readonly #byAddress: KeyedAttemptLimit;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: TeamSessionsOptions) {
    this.#store = options.store;
    this.#secure = options.secureCookie;
    this.cookieName = options.secureCookie ? '__Host-mp_session' : 'mp_session';
    this.#idleMs = options.idleMs ?? SESSION_IDLE_MS;
    this.#absoluteMs = options.absoluteMs ?? SESSION_ABSOLUTE_MS;
    this.#now = options.now ?? Date.now;
    this.#recheckMs = options.recheckMs ?? 60_000;
    const limits = { windowMs: FAILURE_WINDOW_MS, now: this.#now };
    this.#byUsername = new KeyedAttemptLimit({ ...limits, limit: FAILURES_PER_USERNAME });
    this.#byAddress = new KeyedAttemptLimit({ ...limits, limit: FAILURES_PER_ADDRESS });
    // Made now, so the first unknown name does not cost two hashes (and answer slower than a wrong password).
    void decoyHash();
  }

  /**
   * Checks the password and opens a session; throws 401 (the same words for an unknown name and a wrong
   * password) or 429 when this name or address failed too often.
   *
   * @example
   * const { account, csrfToken, setCookie } = await sessions.signIn({ username, password, address: request.ip });
   */
  async signIn(input: {
    username: string;
    password: string;
    address: string;
  }): Promise<{ account: Account; csrfToken: string; setCookie: string }> {
    const username = input.username.trim().toLowerCase();
    const waitMs = Math.max(this.#byUsername.waitMs(username), this.#byAddress.waitMs(input.address));
    if (waitMs > 0) throw new SignInThrottledError(Math.ceil(waitMs / 1000));
    const found = await this.#store.accounts.credentials(username);
    const matches = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()));
    if (found === undefined || !matches) {
      this.#byUsername.recordFailure(username);
      this.#byAddress.recordFailure(input.address);
      throw new HttpError(401, 'wrong_credentials', WRONG_CREDENTIALS);
    }
    await this.#sweep();
    const secret = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.#now();
    await this.#store.accountSessions.create({
      id: sessionId(secret),
      accountId: found.account.id,
      csrfToken,
      createdAt: iso(now),
      expiresAt: iso(now + this.#absoluteMs),
      lastUsedAt: iso(now),
    });
    return {
      account: found.account,
      csrfToken,
      setCookie: this.#cookie(secret, Math.floor(this.#absoluteMs / 1000)),
    };
  }

  /**
   * The live session the request's cookie names; undefined without one. An expired session is deleted here,
   * so a stolen cookie stops working at the limit even if nobody signs out.
   */
  async authenticate(cookieHeader: string | undefined): Promise<SignedIn | undefined> {
    const secret = this.secretFrom(cookieHeader);
    if (secret === undefined) return undefined;
    const id = sessionId(secret);
    const found = await this.#store.accountSessions.find(id);
    if (found === undefined) return undefined;
    const now = this.#now();
    const lastUsed = Date.parse(found.session.lastUsedAt);
    if (now >= Date.parse(found.session.expiresAt) || now - lastUsed >= this.#idleMs) {
      await this.#store.accountSessions.delete(id);
      return undefined;
    }
    if (now - lastUsed >= TOUCH_EVERY_MS) {
      await this.#store.accountSessions.touch(id, iso(now));
    }
    return found;
  }

  /**
   * Ends a long-lived response (the live-event stream) when its session ends: signed out, expired, password
   * changed or account removed, from this process or another one sharing the database. `end` is called once.
   */
  watch(signedIn: SignedIn, end: () => void): () => void {
    let stopped = false;
    const timer = setInterval(() => {
      void this.#stillLive(signedIn.session.id).then(
        (live) => {
          if (live || stopped) return;
          stop();
          end();
        },
        () => {},
      );
    }, this.#recheckMs);
    const stop = () => {
      stopped = true;
      clearInterval(timer);
    };
    return stop;
  }

  async #stillLive(id: string): Promise<boolean> {
    const found = await this.#store.accountSessions.find(id);
    if (found === undefined) return false;
    const now = this.#now();
    return (
      now < Date.parse(found.session.expiresAt) && now - Date.parse(found.session.lastUsedAt) < this.#idleMs
    );
  }

  /** Refuses (403) an unsafe request of a signed-in session whose `X-CSRF-Token` is missing or wrong. */
  checkCsrf(signedIn: SignedIn, header: string | string[] | undefined): void {
    const given = Buffer.from(typeof header === 'string' ? header : '');
    const expected = Buffer.from(signedIn.session.csrfToken);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
    throw new HttpError(
      403,
      'csrf_token_invalid',
      header === undefined
        ? 'this request needs the X-CSRF-Token header the sign-in answered with (GET /api/session gives it again)'
        : 'the X-CSRF-Token header does not match this session; reload the page, or sign in again',
    );
  }

  async signOut(signedIn: SignedIn | undefined): Promise<void> {
    if (signedIn !== undefined) await this.#store.accountSessions.delete(signedIn.session.id);
  }

  /** The Set-Cookie that makes the browser drop the session cookie. */
  clearCookie(): string {
    return this.#cookie('', 0);
  }

  secretFrom(cookieHeader: string | undefined): string | undefined {
    if (cookieHeader === undefined) return undefined;
    const value = parseCookie(cookieHeader)[this.cookieName];
    return value !== undefined && /^[\w-]{43}$/.test(value) ? value : undefined;
  }

  #cookie(value: string, maxAge: number): string {
    return stringifySetCookie({
      name: this.cookieName,
      value,
      httpOnly: true,
      secure: this.#secure,
      sameSite: 'strict',
      path: '/',
      maxAge,
    });
  }

  async #sweep(): Promise<void> {
    const now = this.#now();
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    await this.#store.accountSessions.deleteExpired({ now: iso(now), idleBefore: iso(now - this.#idleMs) });
  }
}

/** The stored key of a session: SHA-256 of its secret, as hex. */
export function sessionId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
