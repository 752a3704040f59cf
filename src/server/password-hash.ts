/**
 * Password hashes for team accounts (issue 10 item 3): scrypt from Node's own crypto, memory-hard so a stolen
 * database costs an attacker memory as well as time per guess, with no native dependency.
 *
 * A hash is self-describing, `scrypt$N$r$p$SALT$HASH` (salt and hash in base64url), so the parameters can be
 * raised later: an old hash still verifies with the parameters it was made with. The work runs on libuv's
 * thread pool (the async `scrypt`), so a sign-in never blocks the server's event loop.
 *
 * Parameters (docs/decisions.md, "Password hashes"): N = 2^15, r = 8, p = 1, which needs 128·N·r = 32 MiB per
 * hash, OWASP's scrypt recommendation; `maxmem` is raised above Node's 32 MiB default to allow it.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** The largest parameters a stored hash may ask for: a tampered row must not make the server allocate GBs. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/**
 * @example
 * const stored = await hashPassword('correct horse battery staple'); // 'scrypt$32768$8$1$…$…'
 */
export async function hashPassword(
  password: string,
  parameters: ScryptParameters = DEFAULT_SCRYPT,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, HASH_BYTES, parameters);
  const { N, r, p } = parameters;
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/**
 * Whether `password` is the one `stored` was made from. A malformed stored value is never a match. Compares in
 * constant time, so how long the comparison takes says nothing about how much of the hash matched.
 *
 * @example
 * await verifyPassword('correct horse battery staple', stored) // true
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === undefined) return false;
  const actual = await derive(password, parsed.salt, parsed.hash.length, parsed.parameters);
  return timingSafeEqual(actual, parsed.hash);
}

/**
 * A hash of a random password with today's parameters, verified when the username is unknown, so a wrong
 * username costs the same time as a wrong password and the answer's timing does not tell which names exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(18).toString('base64url'));
  return decoy;
}

function parseHash(stored: string): { parameters: ScryptParameters; salt: Buffer; hash: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^\d{1,8}$/.test(part) ? Number(part) : Number.NaN)) as [
    number,
    number,
    number,
  ];
  const powerOfTwo = Number.isInteger(Math.log2(N));
  if (!(N >= 2 && N <= MAX_N && powerOfTwo && r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P)) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const hash = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { parameters: { N, r, p }, salt, hash };
}

function derive(
  password: string,
  salt: Buffer,
  length: number,
  { N, r, p }: ScryptParameters,
): Promise<Buffer> {
  // scrypt needs 128·N·r bytes (plus a little); Node refuses anything over maxmem, 32 MiB by default.
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}
