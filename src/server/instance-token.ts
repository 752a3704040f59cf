import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../core/errors.ts';

/**
 * The instance's secret: from MP_TOKEN if given, else kept in `<dataDir>/token` (mode 0600) so a restart keeps
 * open tabs working. Anyone who can read it can run commands through the server, hence the mode.
 */
export function loadOrCreateToken(dataDir: string, fromEnvironment: string | undefined): string {
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') return fromEnvironment.trim();
  const path = join(dataDir, 'token');
  if (existsSync(path)) {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    const token = readFileSync(path, 'utf8').trim();
    if (token.length >= 16) return token;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return token;
}

export class NoTokenError extends AppError {
  constructor(path: string) {
    super('no_token', `no token at ${path} yet: start the server once with \`mp serve\` (or set MP_TOKEN)`);
    this.name = 'NoTokenError';
  }
}

/** The token a running server uses, for a command that signs a browser in (`mp url`); never creates one. */
export function readToken(dataDir: string, fromEnvironment: string | undefined): string {
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') return fromEnvironment.trim();
  const path = join(dataDir, 'token');
  const token = existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
  if (token.length < 16) throw new NoTokenError(path);
  return token;
}
