import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

type Environment = Record<string, string | undefined>;

/** `$XDG_DATA_HOME/modelprogrammer`, else `~/.local/share/modelprogrammer`. */
export function defaultDataDir(env: Environment = process.env): string {
  const base =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'modelprogrammer');
}

/** `$XDG_CONFIG_HOME/modelprogrammer`, else `~/.config/modelprogrammer`. */
export function defaultConfigDir(env: Environment = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'modelprogrammer');
}

/** The data dir from the flag, else MP_DATA_DIR, else the default. */
export function resolveDataDir(flag: string | undefined, env: Environment = process.env): string {
  return resolve(flag ?? (env.MP_DATA_DIR && env.MP_DATA_DIR !== '' ? env.MP_DATA_DIR : defaultDataDir(env)));
}
